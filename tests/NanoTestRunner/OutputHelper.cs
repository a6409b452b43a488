namespace nanoFramework.TestFramework
{
    /// <summary>Test output, written to the interpreter's console between the launcher's result lines.</summary>
    public static class OutputHelper
    {
        /// <summary>Writes <paramref name="message"/>.</summary>
        public static void Write(string message) => System.Console.Write(message);

        /// <summary>Writes <paramref name="message"/> and a line end.</summary>
        public static void WriteLine(string message) => System.Console.WriteLine(message);
    }
}
