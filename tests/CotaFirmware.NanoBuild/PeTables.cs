namespace CotaFirmware.NanoBuild;

/// <summary>
/// The sizes of the metadata tables in a nanoFramework .pe, read from the assembly header the MetadataProcessor writes
/// (the CLR_RECORD_ASSEMBLY record: each table's start offset, then the padding after each table). Every table of an
/// assembly is limited to 65,535 bytes: the device addresses strings, signatures and byte code with 16-bit offsets.
/// </summary>
public static class PeTables
{
    /// <summary>The per-table limit.</summary>
    public const int Limit = 65535;

    /// <summary>The tables in the order the MetadataProcessor writes them (nanoAssemblyBuilder.GetTables).</summary>
    public static readonly string[] Names =
    {
        "AssemblyRef", "TypeRef", "FieldRef", "MethodRef", "TypeDef", "FieldDef", "MethodDef", "Attributes",
        "TypeSpec", "Resources", "ResourcesData", "Strings", "Signatures", "ByteCode", "ResourcesFiles",
    };

    private const string Marker = "NFMRK1";
    private const int StartsOffset = 40;             // after marker, two CRCs, flags, native checksum, patch offset, version, name, string table version
    private const int TableCount = 16;               // the tables above and the end-of-assembly marker
    private const int PaddingsOffset = StartsOffset + TableCount * 4 + 4;   // after the starts and the patched-method count

    /// <summary>Each table's size in bytes, in <see cref="Names"/> order.</summary>
    public static int[] Read(string pe)
    {
        byte[] bytes = File.ReadAllBytes(pe);
        if (bytes.Length < PaddingsOffset + TableCount || System.Text.Encoding.ASCII.GetString(bytes, 0, Marker.Length) != Marker)
        {
            throw new InvalidDataException(pe + " is not a nanoFramework assembly (" + Marker + ")");
        }

        var sizes = new int[Names.Length];
        for (int i = 0; i < Names.Length; i++)
        {
            int start = BitConverter.ToInt32(bytes, StartsOffset + i * 4);
            int next = BitConverter.ToInt32(bytes, StartsOffset + (i + 1) * 4);
            sizes[i] = next - start - bytes[PaddingsOffset + i];
        }

        return sizes;
    }
}
