// Device API reference stub: the public signatures device unit tests use.
// Source: nanoframework/nanoFramework.TestFramework, source/TestFrameworkShared/TestClassAttribute.cs, SetupAttribute.cs and
//         CleanupAttribute.cs @ 09405a9a8afcbfa3b52bb1b6a85cf8c40be4154c, TestMethodAttribute.cs @ 612ead30e9ccc75b7a703ab3a19ce98e678faf13,
//         DataRowAttribute.cs @ 09b31b7d18053de170e2183a56ed27e311517cc9
// Package: nanoFramework.TestFramework 3.0.80.
using System;

namespace nanoFramework.TestFramework
{
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
        public virtual TestMethodAttribute GetTestMethodAttribute(TestMethodAttribute testMethodAttribute) => throw null;
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class CleanupAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        public DataRowAttribute(params object[] methodParameters) => throw null;
        public object[] MethodParameters => throw null;
    }
}
