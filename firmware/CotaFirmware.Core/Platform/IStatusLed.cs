namespace CotaFirmware.Platform;

/// <summary>One status LED on the board.</summary>
public interface IStatusLed
{
    /// <summary>Switches the LED on or off. Called only when the level changes.</summary>
    public void Set(bool on);
}
