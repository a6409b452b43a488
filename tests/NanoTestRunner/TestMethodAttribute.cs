using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a test. The launcher calls it with no instance, as nanoFramework's launcher does.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute
    {
    }
}
