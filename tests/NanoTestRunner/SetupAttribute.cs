using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a method that runs once before the tests of its class; if it fails, none of them runs.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute
    {
    }
}
