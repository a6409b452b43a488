namespace CotaFirmware.Tests.Platform;

/// <summary>Holds the tests' clock to the IClock contract: monotonic time never goes back, a wait moves it, the wall clock is apart from it.</summary>
[TestClass]
public sealed class ManualClockTests
{
    [TestMethod]
    public void TimeStandsStillUntilAdvanced()
    {
        ManualClock clock = new ManualClock();
        Assert.AreEqual(0L, clock.MonotonicMs);
        Assert.AreEqual(0L, clock.MonotonicMs);
        clock.Advance(250);
        clock.Advance(0);
        Assert.AreEqual(250L, clock.MonotonicMs);
    }

    [TestMethod]
    public void MonotonicTimeNeverGoesBackwards()
    {
        ManualClock clock = new ManualClock(1000, 0);
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => clock.Advance(-1));
        Assert.AreEqual(1000L, clock.MonotonicMs, "a refused step changes nothing");
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => new ManualClock(-1, 0));
    }

    [TestMethod]
    public void AWaitMovesTheTimeInsteadOfSleeping()
    {
        ManualClock clock = new ManualClock(1000, 5);
        clock.Wait(40);
        clock.Wait(0);
        Assert.AreEqual(1040L, clock.MonotonicMs);
        Assert.AreEqual(5L, clock.UnixTimeMs, "the wall clock moves only when set");
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => clock.Wait(-1));
    }

    [TestMethod]
    public void TheWallClockIsNotValidUntilSetAndMovesApart()
    {
        ManualClock clock = new ManualClock();
        Assert.AreEqual(0L, clock.UnixTimeMs, "0 says the wall clock is not yet valid");
        clock.UnixTimeMs = 1700000000000;
        clock.Advance(10);
        Assert.AreEqual(1700000000000L, clock.UnixTimeMs);
        clock.UnixTimeMs = 1600000000000;
        Assert.AreEqual(10L, clock.MonotonicMs, "setting the wall clock back leaves monotonic time alone");
    }
}
