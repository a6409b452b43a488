using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>The filters a session awaits the SUBACK of: what either session (core client, M2Mqtt) reports as refused.</summary>
[TestClass]
public class PendingSubscriptionsTests
{
    [TestMethod]
    public void AcksInAnyOrderRefuseOnlyTheirOwnFilterEachReportedOnce()
    {
        var pending = new PendingSubscriptions();
        pending.Add(7, "/sys/pk1/dn1/a");
        pending.Add(8, "/sys/pk1/dn1/b");
        pending.Add(9, "/sys/pk1/dn1/c");
        pending.Acknowledge(9, 0x80);
        pending.Acknowledge(8, 1);
        pending.Acknowledge(42, 0x80);
        pending.Acknowledge(7, 0x80);
        pending.Acknowledge(7, 0x80);
        Assert.AreEqual("/sys/pk1/dn1/a", pending.TakeRefused());
        Assert.AreEqual("/sys/pk1/dn1/c", pending.TakeRefused());
        Assert.IsNull(pending.TakeRefused());
    }

    [TestMethod]
    public void AConnectForgetsWhatTheLastConnectionAwaited()
    {
        var pending = new PendingSubscriptions();
        pending.Add(3, "/sys/pk1/dn1/a");
        pending.Acknowledge(3, 0x80);
        pending.Add(4, "/sys/pk1/dn1/b");
        pending.Clear();
        pending.Acknowledge(4, 0x80);
        Assert.IsNull(pending.TakeRefused());
    }
}
