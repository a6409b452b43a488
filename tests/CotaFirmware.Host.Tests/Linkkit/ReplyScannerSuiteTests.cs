using CotaFirmware.Linkkit;
using CsCheck;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>The reply scanner against JSONTestSuite (read from shared test data at run time) and random bytes.</summary>
[TestClass]
public sealed class ReplyScannerSuiteTests
{
    const string Suite = "/work/shared/testdata/JSONTestSuite/test_parsing";

    [TestMethod]
    public void AgreesWithJsonTestSuiteOnEveryObjectCaseAndNeverThrows()
    {
        if (!Directory.Exists(Suite))
        {
            Assert.Inconclusive("JSONTestSuite not present at " + Suite);
        }

        int checkedCases = 0;
        var wrong = new List<string>();
        foreach (string path in Directory.EnumerateFiles(Suite, "*.json"))
        {
            string name = Path.GetFileName(path);
            byte[] b = File.ReadAllBytes(path);
            bool accepted = ReplyScanner.IsObject(b, 0, b.Length);
            bool isObject = b.SkipWhile(c => c is 0x20 or 0x09 or 0x0A or 0x0D).FirstOrDefault() == (byte)'{';
            if (name.StartsWith("y_") && isObject && !accepted && !name.Contains("deep"))
            {
                wrong.Add(name + " refused");
            }

            if (name.StartsWith("n_") && accepted)
            {
                wrong.Add(name + " accepted");
            }

            checkedCases++;
        }

        Assert.IsTrue(checkedCases > 300, "cases: " + checkedCases);
        Assert.AreEqual(0, wrong.Count, string.Join("\n", wrong));
    }

    [TestMethod]
    public void RandomBytesNeverThrowAndFindMemberAgreesWithIsObject()
    {
        byte[] head = "{\"id\":\"1\",\"code\":200,\"data\":"u8.ToArray();
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            byte[] tail = new byte[r.Next(0, 60)];
            r.NextBytes(tail);
            byte[] b = r.Next(2) == 0 ? head.Concat(tail).ToArray() : tail;
            bool whole = ReplyScanner.IsObject(b, 0, b.Length);
            int at = ReplyScanner.FindMember(b, 0, b.Length, "id");
            if (whole)
            {
                Assert.AreNotEqual(ReplyScanner.Malformed, at);
            }
        }, iter: 20000);
    }
}
