namespace CotaFirmware.Host.Cli;

/// <summary>A step the program could not carry out (no platform or broker answers, the platform refused a request): the
/// message says what failed and what to do; the exit code is 1.</summary>
public sealed class RunFailedException(string message) : Exception(message);
