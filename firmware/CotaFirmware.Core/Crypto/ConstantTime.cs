namespace CotaFirmware.Crypto;

/// <summary>Comparisons of secrets and digests whose running time depends only on the lengths, never on where bytes differ.</summary>
/// <remarks>
/// Use these wherever an attacker supplies one side (a received signature, a config's <c>sign</c> field): an early
/// exit at the first difference would tell them how much of a forged value is right.
/// </remarks>
public static class ConstantTime
{
    /// <summary>Whether two byte views hold the same bytes. Views of different lengths are unequal.</summary>
    public static bool AreEqual(byte[] left, int leftOffset, int leftCount, byte[] right, int rightOffset, int rightCount)
    {
        ByteView.Check(left, leftOffset, leftCount);
        ByteView.Check(right, rightOffset, rightCount);
        if (leftCount != rightCount)
        {
            return false;
        }

        int difference = 0;
        for (int i = 0; i < leftCount; i++)
        {
            difference |= left[leftOffset + i] ^ right[rightOffset + i];
        }

        return difference == 0;
    }

    /// <summary>
    /// Whether ASCII hex text (either case, e.g. a 64-character SHA-256 <c>sign</c>) spells exactly the bytes of
    /// <paramref name="digest"/>. Text that is not hex, or not twice the digest's length, does not match.
    /// </summary>
    public static bool HexMatches(byte[] hex, int hexOffset, int hexCount, byte[] digest, int digestOffset, int digestCount)
    {
        ByteView.Check(hex, hexOffset, hexCount);
        ByteView.Check(digest, digestOffset, digestCount);
        if (hexCount != digestCount * 2)
        {
            return false;
        }

        // Each digit is decoded with masks rather than branches or a table lookup, so neither the branch taken
        // nor the memory touched depends on the text. A mask is all ones when its range test holds.
        int difference = 0;
        for (int i = 0; i < hexCount; i++)
        {
            int ch = hex[hexOffset + i];
            int b = digest[digestOffset + (i >> 1)];
            int expected = (i & 1) == 0 ? b >> 4 : b & 0x0F;

            int digit = ch - '0';
            int digitMask = ~((digit | (9 - digit)) >> 31);
            int letter = (ch | 0x20) - 'a';
            int letterMask = ~((letter | (5 - letter)) >> 31);
            int value = (digit & digitMask) | ((letter + 10) & letterMask);
            difference |= (value ^ expected) | ~(digitMask | letterMask);
        }

        return difference == 0;
    }
}
