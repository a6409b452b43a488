namespace CotaFirmware.Tests.Platform;

[TestClass]
public class ContentRangeTests
{
    [TestMethod]
    public void TheFirstBytePositionIsRead()
    {
        Assert.AreEqual(0L, ContentRange.StartOf("bytes 0-99/100"));
        Assert.AreEqual(1024L, ContentRange.StartOf("bytes 1024-4095/4096"));
        Assert.AreEqual(5L, ContentRange.StartOf("Bytes 5-5/*"));
        Assert.AreEqual(3000000000L, ContentRange.StartOf("bytes 3000000000-3000000001/3000000002"));
    }

    [TestMethod]
    public void AnythingElseIsMinusOne()
    {
        Assert.AreEqual(-1L, ContentRange.StartOf(null));
        Assert.AreEqual(-1L, ContentRange.StartOf(""));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes */100"));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes 10-5/100"));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes 5-/100"));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes -5/100"));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes 5-9"));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes 5-9/"));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes 5-9/1x"));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes 5-9/**"));
        Assert.AreEqual(-1L, ContentRange.StartOf("items 5-9/10"));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes  5-9/10"));
        Assert.AreEqual(-1L, ContentRange.StartOf("bytes 1234567890123456789-1234567890123456790/*"));
    }
}
