using CotaFirmware.Fuzz;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>A short round of the MQTT receive-path fuzz target: valid, mutated, truncated and random broker streams.</summary>
[TestClass]
public sealed class MqttFuzzTests
{
    [TestMethod]
    public void TwelveThousandStreamsBreakNoContract()
    {
        var target = new MqttFuzzTarget();
        for (int seed = 1; seed <= 4; seed++)
        {
            var random = new Random(seed);
            for (long i = 0; i < 3000; i++)
            {
                try
                {
                    target.RunOne(random, i);
                }
                catch (Exception e)
                {
                    Assert.Fail($"seed {seed}, input {i}: {e}");
                }
            }
        }
    }
}
