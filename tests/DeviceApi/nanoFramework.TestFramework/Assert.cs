// Device API reference stub: the public signatures device unit tests use; bodies throw.
// Source: nanoframework/nanoFramework.TestFramework, source/TestFramework/Assert.cs @ 02673cc5c3ba329713dbcc4f3ac57154805186ca
//         and source/TestFramework/Assert.AreEqual.cs @ 272030917219159d841572f091f5d0d1655630df
// Package: nanoFramework.TestFramework 3.0.80 (assembly nanoFramework.TestFramework, per source/TestFramework/nanoFramework.TestFramework.nfproj).
using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework
{
    public sealed partial class Assert
    {
        public static void AreSame(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreNotSame(object notExpected, object actual, string message = "") => throw null;
        public static void IsFalse(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "") => throw null;
        public static void IsTrue(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "") => throw null;
        public static void IsNull(object value, [CallerArgumentExpression(nameof(value))] string message = "") => throw null;
        public static void IsNotNull(object value, [CallerArgumentExpression(nameof(value))] string message = "") => throw null;
        public static void IsInstanceOfType(object value, Type expected, [CallerArgumentExpression(nameof(value))] string message = "") => throw null;
        public static void SkipTest(string message = null) => throw null;
        public static void Contains(string expected, string other, string message = "") => throw null;
        public static void StartsWith(string expected, string other, string message = "") => throw null;
        public static void EndsWith(string expected, string other, string message = "") => throw null;
        public static void ThrowsException(Type exceptionType, Action action, string message = "") => throw null;

        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(char expected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(DateTime expected, DateTime actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(double expected, double actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(float expected, float actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(int expected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(long expected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(sbyte expected, sbyte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(short expected, short actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(string expected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(ulong expected, ulong actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
        public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null;
    }
}
