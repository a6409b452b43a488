namespace CotaFirmware.Tests.Platform;

/// <summary>Holds the tests' log to the ILog contract: one line per write, in order, nothing lost or merged.</summary>
[TestClass]
public sealed class RecordingLogTests
{
    [TestMethod]
    public void KeepsEveryLineInOrder()
    {
        RecordingLog log = new RecordingLog();
        Assert.AreEqual(0, log.Count);
        log.Write(LogLevel.Info, "mqtt", "connected");
        log.Write(LogLevel.Error, "cota", "config c1 failed");
        log.Write(LogLevel.Info, "mqtt", "connected");
        Assert.AreEqual(3, log.Count);
        Assert.AreEqual("mqtt: connected", log.Line(0));
        Assert.AreEqual("cota: config c1 failed", log.Line(1));
        Assert.AreEqual("mqtt: connected", log.Line(2), "a repeated line is kept again");
        Assert.AreEqual("mqtt: connected\ncota: config c1 failed\nmqtt: connected\n", log.ToString());
    }

    [TestMethod]
    public void FindsTextInsideALineAndNothingElse()
    {
        RecordingLog log = new RecordingLog();
        Assert.IsFalse(log.Contains("s3cret"), "an empty log says nothing");
        log.Write(LogLevel.Warning, "wifi", "wrong password for lab-net");
        log.Write(LogLevel.Info, "wifi", "retry in 2 s");
        Assert.IsTrue(log.Contains("wrong password"));
        Assert.IsTrue(log.Contains("wifi: wrong"), "the area is part of the line");
        Assert.IsFalse(log.Contains("s3cret"));
        Assert.IsFalse(log.Contains("lab-net\nwifi"), "lines are not searched across");
    }

    [TestMethod]
    public void WithoutItsLinesItOnlyCounts()
    {
        RecordingLog log = new RecordingLog();
        log.KeepsLines = false;
        log.Write(LogLevel.Info, "mqtt", "connected");
        Assert.AreEqual(1, log.Count);
        Assert.IsFalse(log.Contains("connected"));
        Assert.AreEqual(string.Empty, log.ToString());
    }
}
