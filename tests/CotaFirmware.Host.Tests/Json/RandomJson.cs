using System.Text;

namespace CotaFirmware.HostTests.Json;

/// <summary>Random valid JSON documents as UTF-8 bytes: nesting, whitespace, every escape, raw multi-byte UTF-8, and numbers of every shape.</summary>
public static class RandomJson
{
    public static byte[] Document(Random r, int maxDepth = 6)
    {
        var b = new List<byte>();
        Space(r, b);
        Value(r, b, maxDepth);
        Space(r, b);
        return b.ToArray();
    }

    private static void Space(Random r, List<byte> b)
    {
        int n = r.Next(4) == 0 ? r.Next(1, 4) : 0;
        for (int i = 0; i < n; i++)
        {
            b.Add((byte)" \t\n\r"[r.Next(4)]);
        }
    }

    private static void Ascii(List<byte> b, string s) => b.AddRange(Encoding.ASCII.GetBytes(s));

    public static void Value(Random r, List<byte> b, int depth)
    {
        int pick = r.Next(depth > 0 ? 10 : 7);
        switch (pick)
        {
            case 0: Ascii(b, "true"); break;
            case 1: Ascii(b, "false"); break;
            case 2: Ascii(b, "null"); break;
            case 3:
            case 4: Number(r, b); break;
            case 5:
            case 6: String(r, b); break;
            case 7:
            case 8: Container(r, b, depth, keyed: true); break;
            default: Container(r, b, depth, keyed: false); break;
        }
    }

    // An object (keyed: up to 4 members) or an array (up to 5 items), spaced at random.
    private static void Container(Random r, List<byte> b, int depth, bool keyed)
    {
        b.Add((byte)(keyed ? '{' : '['));
        int entries = r.Next(keyed ? 5 : 6);
        for (int i = 0; i < entries; i++)
        {
            if (i > 0) { b.Add((byte)','); }
            Space(r, b);
            if (keyed)
            {
                String(r, b);
                Space(r, b);
                b.Add((byte)':');
                Space(r, b);
            }

            Value(r, b, depth - 1);
            Space(r, b);
        }

        Space(r, b);
        b.Add((byte)(keyed ? '}' : ']'));
    }

    public static void Number(Random r, List<byte> b)
    {
        var s = new StringBuilder();
        if (r.Next(3) == 0) { s.Append('-'); }
        switch (r.Next(6))
        {
            case 0: s.Append('0'); break;
            case 1: s.Append(r.Next(1, 10)); break;
            case 2: s.Append(r.NextInt64(1, long.MaxValue)); break;
            case 3: s.Append(r.Next(1, 10)).Append(Digits(r, r.Next(15, 25))); break; // around the int64 edge and beyond
            case 4: s.Append(r.Next(int.MaxValue)); break;
            default: s.Append(r.Next(1, 1000)); break;
        }

        if (r.Next(3) == 0) { s.Append('.').Append(Digits(r, r.Next(1, 20))); }
        if (r.Next(4) == 0)
        {
            s.Append(r.Next(2) == 0 ? 'e' : 'E');
            int sign = r.Next(3);
            if (sign == 1) { s.Append('+'); }
            if (sign == 2) { s.Append('-'); }
            s.Append(r.Next(0, 300));
        }

        Ascii(b, s.ToString());
    }

    private static string Digits(Random r, int n)
    {
        var s = new StringBuilder();
        for (int i = 0; i < n; i++) { s.Append((char)('0' + r.Next(10))); }
        return s.ToString();
    }

    public static void String(Random r, List<byte> b)
    {
        b.Add((byte)'"');
        int parts = r.Next(8);
        for (int i = 0; i < parts; i++)
        {
            switch (r.Next(7))
            {
                case 0:
                case 1:
                    int n = r.Next(1, 12);
                    for (int k = 0; k < n; k++)
                    {
                        char c;
                        do { c = (char)r.Next(0x20, 0x7F); } while (c == '"' || c == '\\');
                        b.Add((byte)c);
                    }

                    break;
                case 2:
                    b.Add((byte)'\\');
                    b.Add((byte)"\"\\/bfnrt"[r.Next(8)]);
                    break;
                case 3:
                    int u;
                    do { u = r.Next(r.Next(2) == 0 ? 0x80 : 0x10000); } while (u >= 0xD800 && u <= 0xDFFF);
                    Ascii(b, "\\u" + (r.Next(2) == 0 ? u.ToString("X4") : u.ToString("x4")));
                    break;
                case 4:
                    int cp = r.Next(0x10000, 0x110000) - 0x10000;
                    Ascii(b, "\\u" + (0xD800 + (cp >> 10)).ToString("X4") + "\\u" + (0xDC00 + (cp & 0x3FF)).ToString("x4"));
                    break;
                default:
                    int raw;
                    int range = r.Next(3);
                    do { raw = range == 0 ? r.Next(0x80, 0x800) : range == 1 ? r.Next(0x800, 0x10000) : r.Next(0x10000, 0x110000); }
                    while (raw >= 0xD800 && raw <= 0xDFFF);
                    b.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(raw)));
                    break;
            }
        }

        b.Add((byte)'"');
    }
}
