namespace CotaFirmware.Tests.Platform;

[TestClass]
public class MonotonicTicksTests
{
    [TestMethod]
    public void ForwardStepsAddUp()
    {
        MonotonicTicks ticks = new MonotonicTicks(1000, 600000);
        Assert.AreEqual(0L, ticks.Value);
        Assert.AreEqual(50L, ticks.Update(1050));
        Assert.AreEqual(50L, ticks.Update(1050));
        Assert.AreEqual(599049L, ticks.Update(600049));
    }

    [TestMethod]
    public void AnSntpJumpFrom1970AddsNothingAndCountingGoesOn()
    {
        MonotonicTicks ticks = new MonotonicTicks(5000, 600000);
        ticks.Update(7000);
        long now2026 = 1795000000000L;
        Assert.AreEqual(2000L, ticks.Update(now2026));
        Assert.AreEqual(2100L, ticks.Update(now2026 + 100));
    }

    [TestMethod]
    public void ABackwardCorrectionAddsNothingAndNeverDecreases()
    {
        MonotonicTicks ticks = new MonotonicTicks(100000, 600000);
        ticks.Update(101000);
        Assert.AreEqual(1000L, ticks.Update(99000));
        Assert.AreEqual(1500L, ticks.Update(99500));
    }

    [TestMethod]
    public void AStepOfExactlyTheLimitCountsAsAJump()
    {
        MonotonicTicks ticks = new MonotonicTicks(0, 1000);
        Assert.AreEqual(999L, ticks.Update(999));
        Assert.AreEqual(999L, ticks.Update(1999));
        Assert.AreEqual(1000L, ticks.MaxStepMs);
    }
}
