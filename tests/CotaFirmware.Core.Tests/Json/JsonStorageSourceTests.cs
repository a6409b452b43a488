#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using CotaFirmware.Json;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Json;

/// <summary>A config area in storage streams through a small window, and a missing area is a defined source failure.</summary>
[TestClass]
public class JsonStorageSourceTests
{
    [TestMethod]
    public void AConfigAreaLargerThanTheWindowIsReadThroughIt()
    {
        string doc = "{\"modules\":[";
        for (int i = 0; i < 30; i++)
        {
            doc += (i == 0 ? "" : ",") + "{\"name\":\"m" + i.ToString() + "\",\"on\":true}";
        }

        doc += "]}";
        OneAreaStorage storage = new OneAreaStorage("cfg", JsonText.Bytes(doc), 7);
        JsonStorageSource source = new JsonStorageSource();
        JsonReader reader = new JsonReader(new byte[32]);
        for (int pass = 0; pass < 2; pass++)
        {
            Assert.AreEqual(doc.Length, source.Open(storage, "cfg"));
            reader.Begin(source);
            int names = 0;
            while (reader.Read())
            {
                if (reader.TokenKind == JsonTokenKind.PropertyName && reader.ValueEquals(JsonText.Bytes("name")))
                {
                    names++;
                }
            }

            Expect.Status(JsonError.None, reader.Error, reader.DescribeError());
            Assert.AreEqual(30, names);
            Assert.AreEqual(doc.Length, source.Position);
        }
    }

    [TestMethod]
    public void AMissingAreaFailsWithNotFound()
    {
        JsonStorageSource source = new JsonStorageSource();
        Expect.Status(StorageStatus.NotFound, source.Open(new OneAreaStorage("cfg", new byte[1], 1), "other"));
        JsonReader reader = new JsonReader(new byte[32]);
        reader.Begin(source);
        Assert.IsFalse(reader.Read());
        Expect.Status(JsonError.SourceFailed, reader.Error);
        Expect.Status(StorageStatus.NotFound, reader.SourceStatus);
    }
}
