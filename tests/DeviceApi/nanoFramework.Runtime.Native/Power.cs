// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/nanoFramework.Runtime.Native, nanoFramework.Runtime.Native/Power.cs @ 279c2de56c52fbd4cf2c05400c4d16ed84dc85e9
// Package: nanoFramework.Runtime.Native 1.7.11.
namespace nanoFramework.Runtime.Native
{
    public delegate void RebootEventHandler();

    public class Power
    {
        public static event RebootEventHandler OnRebootEvent { add => throw null; remove => throw null; }
        public static void RebootDevice() => throw null;
        public static void RebootDevice(int exeConstraintTimeout) => throw null;
    }
}
