using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>The filters a session awaits the SUBACK of: what either session (core client, M2Mqtt) reports as refused.</summary>
[TestClass]
public class PendingSubscriptionsTests
{
    [TestMethod]
    public void AcksInAnyOrderNameOnlyTheirOwnRefusedFilterAndOnlyOnce()
    {
        var pending = new PendingSubscriptions();
        pending.Add(7, "/sys/pk1/dn1/a");
        pending.Add(8, "/sys/pk1/dn1/b");
        pending.Add(9, "/sys/pk1/dn1/c");
        Assert.AreEqual("/sys/pk1/dn1/c", pending.Acknowledge(9, 0x80));
        Assert.IsNull(pending.Acknowledge(8, 1), "granted");
        Assert.IsNull(pending.Acknowledge(42, 0x80), "not awaited");
        Assert.AreEqual("/sys/pk1/dn1/a", pending.Acknowledge(7, 0x80));
        Assert.IsNull(pending.Acknowledge(7, 0x80), "a repeated SUBACK");
    }

    [TestMethod]
    public void AConnectForgetsWhatTheLastConnectionAwaited()
    {
        var pending = new PendingSubscriptions();
        pending.Add(4, "/sys/pk1/dn1/b");
        pending.Clear();
        Assert.IsNull(pending.Acknowledge(4, 0x80));
    }
}
