namespace CotaFirmware.DeviceBenchmarks
{
    /// <summary>A thing.config.push as nanoFramework.Json deserializes it: the peer's typed view of the same bytes.</summary>
    public sealed class PushDocument
    {
        /// <summary>The message id.</summary>
        public string id { get; set; }

        /// <summary>The protocol version.</summary>
        public string version { get; set; }

        /// <summary>thing.config.push.</summary>
        public string method { get; set; }

        /// <summary>The offer.</summary>
        public PushParams @params { get; set; }
    }

    /// <summary>The offer's fields.</summary>
    public sealed class PushParams
    {
        /// <summary>The config's id.</summary>
        public string configId { get; set; }

        /// <summary>Its size in bytes.</summary>
        public long configSize { get; set; }

        /// <summary>Its SHA-256, in hex.</summary>
        public string sign { get; set; }

        /// <summary>Sha256.</summary>
        public string signMethod { get; set; }

        /// <summary>Where to download it.</summary>
        public string url { get; set; }

        /// <summary>file.</summary>
        public string getType { get; set; }

        /// <summary>The notes that pad the push to 4 KB.</summary>
        public ModuleNote[] modules { get; set; }
    }

    /// <summary>One module note.</summary>
    public sealed class ModuleNote
    {
        /// <summary>The module.</summary>
        public string name { get; set; }

        /// <summary>Whether it runs.</summary>
        public bool enabled { get; set; }

        /// <summary>Its revision.</summary>
        public int revision { get; set; }

        /// <summary>Free text.</summary>
        public string note { get; set; }
    }
}
