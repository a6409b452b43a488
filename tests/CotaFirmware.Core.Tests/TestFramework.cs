// The one place that names the test framework: MSTest on .NET, nanoFramework.TestFramework (or the device test run's
// stand-in) on the device. Every device test project links this file with the tests.
#if NANOFRAMEWORK_1_0
global using nanoFramework.TestFramework;
#else
global using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
