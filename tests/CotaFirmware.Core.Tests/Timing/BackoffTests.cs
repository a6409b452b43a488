using CotaFirmware.Timing;
using CotaFirmware.Tests;

namespace CotaFirmware.Tests.Timing;

[TestClass]
public class BackoffTests
{
    [TestMethod]
    public void NoFailuresMeansNoWait()
    {
        var backoff = new Backoff(1000, 60000, 1);
        Assert.AreEqual(0, backoff.DelayMs(0));
    }

    [TestMethod]
    public void EachWaitLiesInTheUpperHalfOfABoundThatDoublesUpToTheCeiling()
    {
        var backoff = new Backoff(1000, 60000, 7);
        int[] bounds = { 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000 };
        for (int round = 0; round < 200; round++)
        {
            for (int failures = 1; failures <= bounds.Length; failures++)
            {
                int bound = bounds[failures - 1];
                int wait = backoff.DelayMs(failures);
                Assert.IsTrue(wait >= bound / 2 && wait <= bound, "failure " + failures.ToString() + ": " + wait.ToString() + " ms");
            }
        }
    }

    [TestMethod]
    public void AnEndlessRunOfFailuresStaysAtTheCeiling()
    {
        var backoff = new Backoff(1, int.MaxValue, 3);
        int wait = backoff.DelayMs(int.MaxValue);
        Assert.IsTrue(wait >= int.MaxValue / 2 && wait <= int.MaxValue);
    }

    [TestMethod]
    public void DevicesSeededAlikeWaitAlikeAndDevicesSeededApartSpreadOut()
    {
        var a = new Backoff(10000, 10000, 11);
        var b = new Backoff(10000, 10000, 11);
        var c = new Backoff(10000, 10000, 12);
        int differ = 0;
        for (int i = 0; i < 50; i++)
        {
            int wa = a.DelayMs(1);
            Assert.AreEqual(wa, b.DelayMs(1));
            if (wa != c.DelayMs(1))
            {
                differ++;
            }
        }

        Assert.IsTrue(differ > 40, "waits of differently seeded devices matched too often: " + (50 - differ).ToString());
    }

    [TestMethod]
    public void BoundsOutOfOrderAreRefused()
    {
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => new Backoff(0, 10, 1));
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => new Backoff(10, 9, 1));
    }

    [TestMethod]
    public void ASeedOfZeroStillDrawsDifferentWaits()
    {
        var backoff = new Backoff(10000, 10000, 0);
        int first = backoff.DelayMs(1);
        bool varied = false;
        for (int i = 0; i < 20 && !varied; i++)
        {
            varied = backoff.DelayMs(1) != first;
        }

        Assert.IsTrue(varied);
    }
}
