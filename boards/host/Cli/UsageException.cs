namespace CotaFirmware.Host.Cli;

/// <summary>A command line the program cannot run: the message says what is wrong; the exit code is 2.</summary>
public sealed class UsageException(string message) : Exception(message);
