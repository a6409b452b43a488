// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Device.Gpio, System.Device.Gpio/GpioController.cs @ 162ca3b8531e0ae533721f4de5b92a0020ad68d6,
//         GpioPin.cs @ 3a608e15888b3f1cff6ac2dd11749f424bd59cca, PinMode.cs and PinValue.cs @ 5a27dd88672fc3885f218217169eec48e3169ef2
// Package: nanoFramework.System.Device.Gpio 1.1.57.
// PinValue is a readonly struct in the real source; it is a plain struct here because the gate rejects the
// IsReadOnly marker. It has no mutators, so callers cannot tell the difference.
using System;

namespace System.Device.Gpio
{
    public sealed class GpioController : IDisposable
    {
        public GpioController() => throw null;
        public int PinCount => throw null;
        public GpioPin OpenPin(int pinNumber) => throw null;
        public GpioPin OpenPin(int pinNumber, PinMode mode) => throw null;
        public void ClosePin(int pinNumber) => throw null;
        public void Dispose() => throw null;
        public PinMode GetPinMode(int pinNumber) => throw null;
        public bool IsPinModeSupported(int pinNumber, PinMode mode) => throw null;
        public bool IsPinOpen(int pinNumber) => throw null;
        public PinValue Read(int pinNumber) => throw null;
        public void SetPinMode(int pinNumber, PinMode mode) => throw null;
        public void Write(int pinNumber, PinValue value) => throw null;
    }

    public sealed class GpioPin : IDisposable
    {
        internal GpioPin(int pinNumber) => throw null;
        public TimeSpan DebounceTimeout { get => throw null; set => throw null; }
        public int PinNumber => throw null;
        public PinMode GetPinMode() => throw null;
        public bool IsPinModeSupported(PinMode pinMode) => throw null;
        public void SetPinMode(PinMode value) => throw null;
        public PinValue Read() => throw null;
        public void Write(PinValue value) => throw null;
        public void Toggle() => throw null;
        public void Dispose() => throw null;
    }

    public enum PinMode
    {
        Input,
        InputPullDown,
        InputPullUp,
        Output,
        OutputOpenDrain,
        OutputOpenDrainPullUp,
        OutputOpenSource,
        OutputOpenSourcePullDown,
    }

    public struct PinValue
    {
        public static PinValue High => throw null;
        public static PinValue Low => throw null;
        public static implicit operator PinValue(int value) => throw null;
        public static implicit operator PinValue(bool value) => throw null;
        public static explicit operator byte(PinValue value) => throw null;
        public static explicit operator int(PinValue value) => throw null;
        public static explicit operator bool(PinValue value) => throw null;
        public bool Equals(PinValue other) => throw null;
        public override bool Equals(object obj) => throw null;
        public static bool operator ==(PinValue a, PinValue b) => throw null;
        public static bool operator !=(PinValue a, PinValue b) => throw null;
        public override int GetHashCode() => throw null;
        public override string ToString() => throw null;
    }
}
