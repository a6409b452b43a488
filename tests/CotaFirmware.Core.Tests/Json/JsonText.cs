using CotaFirmware.Json;

namespace CotaFirmware.Tests.Json;

/// <summary>Test text as bytes, and readers started on it.</summary>
public static class JsonText
{
    /// <summary>The bytes of <paramref name="text"/>, one per char (test texts are ASCII, or Latin-1 for raw bytes).</summary>
    public static byte[] Bytes(string text) => Linkkit.Ascii.Latin1(text);

    /// <summary>A reader on <paramref name="text"/> held in memory.</summary>
    public static JsonReader InMemory(string text)
    {
        JsonReader reader = new JsonReader(null);
        byte[] b = Bytes(text);
        reader.Begin(b, 0, b.Length);
        return reader;
    }

    /// <summary>A reader on <paramref name="text"/> streamed through a window of <paramref name="window"/> bytes, served <paramref name="chunk"/> bytes at a time.</summary>
    public static JsonReader Streamed(string text, int window, int chunk)
    {
        JsonReader reader = new JsonReader(new byte[window]);
        reader.Begin(new ArraySource(Bytes(text), chunk));
        return reader;
    }

    /// <summary>Reads to the end and returns the error (None for a valid document).</summary>
    public static JsonError ReadAll(JsonReader reader)
    {
        while (reader.Read())
        {
        }

        return reader.Error;
    }

    /// <summary>The current string token, unescaped, as Latin-1 text (one char per byte).</summary>
    public static string Value(JsonReader reader)
    {
        byte[] b = new byte[reader.StringLength];
        int n = reader.CopyString(b, 0, b.Length);
        char[] chars = new char[n];
        for (int i = 0; i < n; i++)
        {
            chars[i] = (char)b[i];
        }

        return new string(chars);
    }
}
