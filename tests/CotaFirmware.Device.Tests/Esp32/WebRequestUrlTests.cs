using System;
using System.Net;
using System.Reflection;
using CotaFirmware.Esp32;
using nanoFramework.TestFramework;

namespace CotaFirmware.Tests.Esp32;

/// <summary>
/// A download URL goes out byte for byte as the cloud gave it: an OSS signature covers the query exactly, so an
/// escape decoded (%41 to A), re-cased or re-escaped (%zz to %25zz) would make the server refuse the request.
/// Runs on nanoFramework only: it checks the real System.Net.Http.
/// </summary>
[TestClass]
public class WebRequestUrlTests
{
    private const string Origin = "https://bucket.oss-cn-shanghai.aliyuncs.com";

    [TestMethod]
    public void EscapesOddOrBrokenGoOutUnchanged()
    {
        AssertRequestLine("/config_file/%41b%7ec.json?x=%41&y=%7e&z=%zz&t=%");
    }

    [TestMethod]
    public void ALongSignedOssQueryGoesOutWhole()
    {
        string pathAndQuery = "/config_file/a1b2c3/cfg.json?Expires=1700000000&OSSAccessKeyId=STS.NTestKeyId&Signature=abc%2Bdef%2Fghi%3D&security-token=";
        while (Origin.Length + pathAndQuery.Length < 816)
        {
            pathAndQuery += "CAIS0123456789abcdefghijklmnopqrstuvwxyz%2B%2F";
        }

        AssertRequestLine(pathAndQuery);
    }

    private static void AssertRequestLine(string pathAndQuery)
    {
        WebRequestHttpClient client = new WebRequestHttpClient(null);
        HttpWebRequest request = client.Create(Origin + pathAndQuery, "GET", 1000);
        Assert.IsNotNull(request);
        Assert.AreEqual(pathAndQuery, request.Address.PathAndQuery);

        // The bytes HttpWebRequest writes to the connection come from its private GetHTTPRequestData
        // (System.Net.Http 1.5.207): the request line, then the headers.
        MethodInfo requestData = typeof(HttpWebRequest).GetMethod("GetHTTPRequestData", BindingFlags.NonPublic | BindingFlags.Instance);
        Assert.IsNotNull(requestData, "HttpWebRequest.GetHTTPRequestData is gone: check how this version writes the request line");
        byte[] sent = (byte[])requestData.Invoke(request, null);
        string line = "GET " + pathAndQuery + " HTTP/1.1\r\n";
        Assert.IsTrue(sent.Length >= line.Length, "request data of " + sent.Length + " bytes");
        char[] chars = new char[line.Length];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)sent[i];
        }

        Assert.AreEqual(line, new string(chars));
        client.Close();
    }
}
