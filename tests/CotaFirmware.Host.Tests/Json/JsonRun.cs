using CotaFirmware.Json;
using CotaFirmware.Tests.Json;

namespace CotaFirmware.HostTests.Json;

/// <summary>The observable outcome of reading one document: every token (kind, offset, depth, value) and the final error.</summary>
public sealed record JsonRun(List<string> Tokens, JsonError Error, int ErrorOffset, int LongestToken)
{
    /// <summary>Reads <paramref name="doc"/> in place (window 0) or streamed through a window of <paramref name="window"/> bytes.</summary>
    public static JsonRun Of(byte[] doc, int window, int maxChunk = int.MaxValue, Random? random = null, int maxDepth = JsonReader.DefaultMaxDepth)
    {
        var reader = new JsonReader(window == 0 ? null : new byte[window], maxDepth);
        if (window == 0)
        {
            reader.Begin(doc, 0, doc.Length);
        }
        else
        {
            reader.Begin(random == null ? new ArraySource(doc, maxChunk) : new ArraySource(doc, maxChunk, random));
        }

        return Walk(reader, doc.Length);
    }

    /// <summary>Walks a started reader to its end, failing on anything that looks like a hang.</summary>
    public static JsonRun Walk(JsonReader reader, int docLength)
    {
        var tokens = new List<string>();
        int longest = 0;
        var scratch = new byte[docLength * 4 + 8];
        while (reader.Read())
        {
            if (tokens.Count > docLength + 1)
            {
                throw new InvalidOperationException("more tokens than bytes: the reader does not advance");
            }

            longest = Math.Max(longest, reader.TokenLength);
            tokens.Add(Describe(reader, scratch));
        }

        if (reader.TokenKind != JsonTokenKind.None)
        {
            throw new InvalidOperationException("Read returned false but a token is current");
        }

        if (reader.Read())
        {
            throw new InvalidOperationException("Read returned true after the end");
        }

        return new JsonRun(tokens, reader.Error, reader.ErrorOffset, longest);
    }

    public static string Describe(JsonReader reader, byte[] scratch)
    {
        string value = "";
        switch (reader.TokenKind)
        {
            case JsonTokenKind.String:
            case JsonTokenKind.PropertyName:
                int n = reader.CopyString(scratch, 0, scratch.Length);
                if (n != reader.StringLength)
                {
                    throw new InvalidOperationException("CopyString wrote " + n + ", StringLength says " + reader.StringLength);
                }

                value = Convert.ToHexString(scratch, 0, n);
                break;
            case JsonTokenKind.Number:
                value = System.Text.Encoding.ASCII.GetString(reader.TokenBuffer, reader.TokenIndex, reader.TokenLength);
                break;
        }

        return reader.TokenKind + "@" + reader.TokenOffset + "/" + reader.Depth + ":" + value;
    }

    /// <summary>True when this run (through a window) is what <paramref name="whole"/> (the in-memory run) allows:
    /// the same, or stopped early with TokenTooLong after a prefix of the same tokens.</summary>
    public bool Matches(JsonRun whole, out string why)
    {
        why = "";
        if (Error == JsonError.TokenTooLong)
        {
            if (Tokens.Count > whole.Tokens.Count || !whole.Tokens.Take(Tokens.Count).SequenceEqual(Tokens))
            {
                why = "tokens before TokenTooLong differ";
                return false;
            }

            return true;
        }

        if (Error != whole.Error || ErrorOffset != whole.ErrorOffset)
        {
            why = $"error {Error}@{ErrorOffset}, in memory {whole.Error}@{whole.ErrorOffset}";
            return false;
        }

        if (!Tokens.SequenceEqual(whole.Tokens))
        {
            int i = 0;
            while (i < Tokens.Count && i < whole.Tokens.Count && Tokens[i] == whole.Tokens[i])
            {
                i++;
            }

            why = $"token {i}: {(i < Tokens.Count ? Tokens[i] : "-")} vs in memory {(i < whole.Tokens.Count ? whole.Tokens[i] : "-")}";
            return false;
        }

        return true;
    }
}
