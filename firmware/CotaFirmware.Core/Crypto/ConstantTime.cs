namespace CotaFirmware.Crypto;

/// <summary>A comparison of secrets and digests whose running time depends only on the lengths, never on where bytes differ.</summary>
/// <remarks>
/// Use it wherever an attacker supplies one side (a received signature, a config's <c>sign</c> field): an early
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
}
