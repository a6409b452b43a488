using System.Device.Gpio;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>A plain LED on one GPIO, as an <see cref="IStatusLed"/>; not for the addressable RGB LEDs of the S3 and C3 kits.</summary>
public sealed class GpioStatusLed : IStatusLed
{
    private readonly GpioPin _pin;
    private readonly PinValue _onLevel;
    private readonly PinValue _offLevel;

    /// <summary>Opens <paramref name="pin"/> as an output and switches the LED off.</summary>
    public GpioStatusLed(GpioController gpio, int pin, bool activeHigh)
    {
        _onLevel = activeHigh ? PinValue.High : PinValue.Low;
        _offLevel = activeHigh ? PinValue.Low : PinValue.High;
        _pin = gpio.OpenPin(pin, PinMode.Output);
        _pin.Write(_offLevel);
    }

    /// <inheritdoc />
    public void Set(bool on) => _pin.Write(on ? _onLevel : _offLevel);
}
