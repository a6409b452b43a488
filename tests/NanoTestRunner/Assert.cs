using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework
{
    /// <summary>
    /// The assertions of nanoFramework.TestFramework that the shared tests use, with its overloads (one per
    /// primitive type, no generics) so that a call binds here as it binds against the real package.
    /// </summary>
    public static class Assert
    {
        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(char expected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(DateTime expected, DateTime actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(double expected, double actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!(expected.Equals(actual)))
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(float expected, float actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!(expected.Equals(actual)))
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(int expected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(long expected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(sbyte expected, sbyte actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(short expected, short actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(string expected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!(string.Equals(expected, actual)))
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(ulong expected, ulong actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
        public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected != actual)
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless both are null or <paramref name="expected"/> equals <paramref name="actual"/>.</summary>
        public static void AreEqual(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (expected == null ? actual != null : !expected.Equals(actual))
            {
                Fail("AreEqual", Show(expected), Show(actual), message);
            }
        }

        /// <summary>Fails unless <paramref name="condition"/> is true.</summary>
        public static void IsTrue(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "")
        {
            if (!condition)
            {
                Fail("IsTrue", "True", "False", message);
            }
        }

        /// <summary>Fails unless <paramref name="condition"/> is false.</summary>
        public static void IsFalse(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "")
        {
            if (condition)
            {
                Fail("IsFalse", "False", "True", message);
            }
        }

        /// <summary>Fails unless <paramref name="value"/> is null.</summary>
        public static void IsNull(object value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            if (value != null)
            {
                Fail("IsNull", "(null)", Show(value), message);
            }
        }

        /// <summary>Fails if <paramref name="value"/> is null.</summary>
        public static void IsNotNull(object value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            if (value == null)
            {
                Fail("IsNotNull", "not null", "(null)", message);
            }
        }

        /// <summary>Fails unless <paramref name="action"/> throws exactly <paramref name="exceptionType"/>.</summary>
        public static void ThrowsException(Type exceptionType, Action action, string message = "")
        {
            Exception caught = null;
            try
            {
                action();
            }
            catch (Exception e)
            {
                caught = e;
            }

            if (caught == null || caught.GetType() != exceptionType)
            {
                Fail("ThrowsException", exceptionType.FullName, caught == null ? "no exception" : caught.GetType().FullName, message);
            }
        }

        static string Show(object value) => value == null ? "(null)" : value.ToString();

        static void Fail(string assertion, string expected, string actual, string message) =>
            throw new AssertFailedException("Assert." + assertion + " failed. Expected:<" + expected + ">. Actual:<" + actual + ">. " + message);
    }
}
