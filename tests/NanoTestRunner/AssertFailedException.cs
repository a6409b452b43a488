using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Thrown by <see cref="Assert"/> when a condition does not hold.</summary>
    public class AssertFailedException : Exception
    {
        /// <summary>Creates the exception with the assertion's description.</summary>
        public AssertFailedException(string message)
            : base(message)
        {
        }
    }
}
