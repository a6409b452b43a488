using CotaFirmware.App;
using CotaFirmware.Host.Board;
using CotaFirmware.HostTests.Cota;
using CotaFirmware.Tests.Network;

namespace CotaFirmware.HostTests.Config;

/// <summary>A config that cuts the device off the cloud (Wi-Fi credentials the access point refuses) is rolled back by itself, and the cloud hears why.</summary>
[TestClass]
public sealed class ConnectivityRollbackTests
{
    private const string Good = "{\"telemetry\":{\"intervalSeconds\":10},\"wifi\":{\"ssid\":\"plant\",\"password\":\"good-pass\"}}";
    private const string Bad = "{\"telemetry\":{\"intervalSeconds\":20},\"wifi\":{\"ssid\":\"plant\",\"password\":\"typo-pass\"}}";

    [TestMethod]
    public void BadWifiPasswordIsRolledBackTheDeviceComesBackOnlineAndTheCloudHearsWhy()
    {
        var cloud = new SimulatedCloud(1);
        var radio = new SimulatedRadio { AccessPointSsid = "plant", AccessPointPassword = "good-pass" };
        var board = new WifiBoard(cloud, radio);
        string c1 = cloud.Publish(System.Text.Encoding.UTF8.GetBytes(Good));
        board.Run(5_000);
        Assert.IsTrue(board.Device.IsConnected);
        Assert.AreEqual(c1, board.ActiveId());
        Assert.IsFalse(board.Device.State.IsOnTrial);
        Assert.AreEqual(1, cloud.Results.Count);
        Assert.AreEqual((c1, "applied"), (cloud.Results[0].ConfigId, cloud.Results[0].Status));
        Assert.AreEqual(2, board.Boots, "new Wi-Fi credentials take a reboot");

        // The bad password: after the reboot the access point refuses it, so the cloud is never reached.
        string c2 = cloud.Publish(System.Text.Encoding.UTF8.GetBytes(Bad));
        cloud.Push(c2);
        int refusals = radio.Refusals;
        board.Run(50_000);
        Assert.AreEqual(c2, board.ActiveId());
        Assert.IsTrue(board.Device.State.IsOnTrial);
        Assert.IsFalse(board.Device.IsConnected);
        Assert.IsTrue(radio.Refusals > refusals);
        Assert.AreEqual("typo-pass", radio.LastPassword);

        // The deadline passes: rollback, a reboot into the old credentials, online again, and the result says why.
        board.Run(20_000);
        Assert.IsTrue(board.Device.IsConnected);
        Assert.AreEqual(c1, board.ActiveId());
        Assert.AreEqual("good-pass", radio.LastPassword);
        Assert.AreEqual(10, board.Device.State.TelemetryIntervalSeconds);
        Assert.IsFalse(board.Device.State.IsOnTrial);
        Assert.AreEqual(2, cloud.Results.Count);
        Assert.AreEqual("{\"configId\":\"" + c2 + "\",\"status\":\"rolled_back\",\"reason\":\"DeadlineWithoutContact\",\"errors\":[],\"seq\":2}", cloud.Results[1].Json);

        // The cloud still offers c2 at every connect: it is not taken again.
        int downloads = cloud.Downloads[c2];
        int gets = cloud.Gets;
        cloud.Drop();
        board.Run(10_000);
        Assert.IsTrue(cloud.Gets > gets, "reconnected and asked");
        Assert.AreEqual(downloads, cloud.Downloads[c2]);
        Assert.AreEqual(2, cloud.Results.Count);
    }
}
