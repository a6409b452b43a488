using CotaFirmware.Text;

namespace CotaFirmware.DeviceBenchmarks
{
    /// <summary>The inputs every benchmark reads: configs, config pushes and text, built the same way on every run.</summary>
    internal static class Documents
    {
        /// <summary>
        /// A config of about <paramref name="size"/> bytes: module sections with nested objects, arrays, numbers of every
        /// shape, escapes and raw UTF-8. With <paramref name="unicodeEscapes"/> each label also carries a \u2013 escape.
        /// </summary>
        public static byte[] Config(int size, bool unicodeEscapes)
        {
            byte[] hoehe = Utf8.GetBytes("h\u00f6he");
            ByteText s = new ByteText().Ascii("{\"schema\":3,\"modules\":{");
            for (int i = 0; s.Length < size - 260; i++)
            {
                s.Ascii(i == 0 ? "" : ",").Ascii("\n  \"module").Number(i).Ascii("\": {\"enabled\": ").Ascii(i % 2 == 0 ? "true" : "false")
                    .Ascii(", \"interval\": ").Number(1000 + i).Ascii(", \"gain\": -").Number(i % 97).Ascii(".25")
                    .Ascii(", \"label\": \"Zone ").Number(i).Ascii(unicodeEscapes ? " \\u2013 " : " - ").Raw(hoehe).Ascii(" \\\"A\\\"\\n\"")
                    .Ascii(", \"limits\": [0, 12.5, 100, null], \"tags\": {\"site\": \"plant-").Number(i % 13).Ascii("\", \"owner\": \"ops\"}}");
            }

            return s.Ascii("\n}}").ToArray();
        }

        /// <summary>
        /// A thing.config.push as the platform sends it, about 4 KB: an ~800-character signed URL and module notes as
        /// padding. With <paramref name="unicodeEscapes"/> each note carries a \u00e9 escape.
        /// </summary>
        public static byte[] Push(bool unicodeEscapes)
        {
            ByteText s = new ByteText().Ascii("{\"id\":\"123456789\",\"version\":\"1.0\",\"method\":\"thing.config.push\",\"params\":{")
                .Ascii("\"configId\":\"c-20261127-0001\",\"configSize\":3822,\"sign\":\"")
                .Ascii("9f86d081884c7d659f86d081884c7d659f86d081884c7d659f86d081884c7d65")
                .Ascii("\",\"signMethod\":\"Sha256\",\"url\":\"https://iotx-config.oss-cn-shanghai.aliyuncs.com/config/a1B2c3D4e5F/device-0001/config.json?Expires=1790000000&OSSAccessKeyId=LTAI5tExample&Signature=");
            for (int i = 0; i < 22; i++)
            {
                s.Ascii("a%2Bb%2F0123456789ABCDEFabcdef");
            }

            s.Ascii("\",\"getType\":\"file\",\"modules\":[");
            for (int i = 0; s.Length < 4000; i++)
            {
                s.Ascii(i == 0 ? "" : ",").Ascii("{\"name\":\"module").Number(i).Ascii("\",\"enabled\":true,\"revision\":").Number(i * 7)
                    .Ascii(unicodeEscapes ? ",\"note\":\"caf\\u00e9 \\\"ok\\\"\"}" : ",\"note\":\"cafe \\\"ok\\\"\"}");
            }

            return s.Ascii("]}}").ToArray();
        }

        /// <summary>
        /// Text of exactly <paramref name="chars"/> UTF-16 code units mixing 1-, 2-, 3- and 4-byte UTF-8 characters (the
        /// last as surrogate pairs), as device names and Wi-Fi credentials may.
        /// </summary>
        public static string MixedText(int chars)
        {
            char[] pattern = "Zone-7 h\u00f6he \u6e29\u5ea6 \ud83d\ude00 ".ToCharArray();
            char[] text = new char[chars];
            for (int i = 0; i < chars; i++)
            {
                text[i] = pattern[i % pattern.Length];
            }

            // Never end on half a pair.
            if (text[chars - 1] >= 0xD800 && text[chars - 1] <= 0xDBFF)
            {
                text[chars - 1] = 'x';
            }

            return new string(text);
        }
    }
}
