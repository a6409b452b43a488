#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;

namespace CotaFirmware.Tests;

/// <summary>The one helper for expected exceptions, written so that MSTest and nanoFramework.TestFramework both compile it.</summary>
public static class Expect
{
    /// <summary>Runs <paramref name="action"/> and asserts that it throws exactly <paramref name="exceptionType"/>.</summary>
    public static void Throws(Type exceptionType, Action action)
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

        Assert.IsNotNull(caught, "expected " + exceptionType.Name + ", but nothing was thrown");
        Assert.IsTrue(caught.GetType() == exceptionType, "expected " + exceptionType.Name + ", got " + caught.GetType().Name);
    }
}
