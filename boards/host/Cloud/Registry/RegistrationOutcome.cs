namespace CotaFirmware.Host.Cloud.Registry;

/// <summary>The answer to a dynamic registration: code 200 with the new secret, or an error code and message.</summary>
/// <param name="Code">200 on success, else an error code (see <see cref="DeviceRegistry.Register"/>).</param>
/// <param name="Message">A short reason for an error; "success" otherwise.</param>
/// <param name="Device">The device with its fresh secret on success, else null.</param>
public sealed record RegistrationOutcome(int Code, string Message, Device? Device);
