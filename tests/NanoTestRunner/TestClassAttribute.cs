using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a class whose <see cref="TestMethodAttribute"/> methods the launcher runs.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
    }
}
