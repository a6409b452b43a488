namespace CotaFirmware.Host.Cli;

/// <summary><c>publish</c>: publishes a config file to a running local platform and pushes it to the product's online devices.</summary>
public static class PublishCommand
{
    /// <summary>The command's help.</summary>
    public const string Help = """
        cota-host publish <file>: publish a config to the local platform and push it.

        options:
          --data <dir>           the data folder of a running `cota-host cloud` (required)
          --product-key <pk>     the product to configure (default: the platform's first product)
          --help                 this text

        The file is sent as it is (the devices validate it). Devices offline now get it by thing.config.get when they connect.
        """;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var a = new Arguments("publish", args, new[] { "data", "product-key" }, new[] { "help" });
        if (a.Has("help"))
        {
            output.WriteLine(Help);
            return 0;
        }

        if (a.Positional.Count != 1)
        {
            throw new UsageException("publish needs exactly one config file (see: cota-host publish --help)");
        }

        string data = a.Value("data") ?? throw new UsageException("publish needs --data <dir> of a running `cota-host cloud`");
        string file = a.Positional[0];
        if (!File.Exists(file))
        {
            throw new UsageException("no such config file: " + file);
        }

        byte[] content = File.ReadAllBytes(file);
        var endpoints = CloudEndpoints.Load(data);
        string pk = a.Value("product-key") ?? StatusCommand.FirstProduct(data);
        var reply = CloudControl.CallAsync<CloudControl.PublishReply>(endpoints, HttpMethod.Post,
            "publish?productKey=" + Uri.EscapeDataString(pk), content).GetAwaiter().GetResult();
        output.WriteLine("published " + file + " for product " + pk + " as configId " + reply.ConfigId + " (" + reply.Size + " bytes, sha256 " + reply.Sign + ")");
        output.WriteLine(reply.PushedTo.Length == 0
            ? "pushed to no device (none online); devices get it with thing.config.get when they connect"
            : "pushed to " + reply.PushedTo.Length + " online devices: " + string.Join(", ", reply.PushedTo.Take(10)) + (reply.PushedTo.Length > 10 ? ", ..." : ""));
        return 0;
    }
}
