using System;
using System.Reflection;
using nanoFramework.TestFramework;

namespace CotaFirmware.NanoTestRunner
{
    /// <summary>
    /// Runs the test classes of the assemblies named in <see cref="TestAssemblies"/> the way nanoFramework's launcher
    /// does (Setup, then each test method called with no instance, then Cleanup) and prints one line per result.
    /// </summary>
    /// <remarks>
    /// Every line the host reads starts with <see cref="Prefix"/>. "start" comes before a test runs, so a test that
    /// kills the interpreter is named by the last "start" without a result; "done" comes last, so a run without it
    /// did not finish.
    /// </remarks>
    public static class TestLauncher
    {
        /// <summary>Starts every line of the protocol.</summary>
        public const string Prefix = "[nanotest] ";

        static int _passed;
        static int _failed;

        /// <summary>Runs every listed assembly, then prints the completion line.</summary>
        public static void Main()
        {
            foreach (string name in TestAssemblies.Names)
            {
                Console.WriteLine(Prefix + "assembly " + name);
                Type[] types = Assembly.Load(name).GetTypes();
                for (int i = 0; i < types.Length; i++)
                {
                    if (types[i].IsClass && Has(types[i].GetCustomAttributes(true), typeof(TestClassAttribute)))
                    {
                        RunClass(types[i]);
                    }
                }
            }

            Console.WriteLine(Prefix + "done " + _passed + " passed, " + _failed + " failed");
        }

        static void RunClass(Type type)
        {
            MethodInfo[] methods = type.GetMethods();
            string setupError = null;
            for (int i = 0; i < methods.Length && setupError == null; i++)
            {
                if (Has(methods[i].GetCustomAttributes(true), typeof(SetupAttribute)))
                {
                    setupError = Invoke(methods[i]);
                }
            }

            for (int i = 0; i < methods.Length; i++)
            {
                if (!Has(methods[i].GetCustomAttributes(true), typeof(TestMethodAttribute)))
                {
                    continue;
                }

                string name = type.FullName + "." + methods[i].Name;
                Console.WriteLine(Prefix + "start " + name);
                long started = DateTime.UtcNow.Ticks;
                string error = setupError != null ? "Setup failed: " + setupError : Invoke(methods[i]);
                Report(name, error, started);
            }

            for (int i = 0; i < methods.Length; i++)
            {
                if (Has(methods[i].GetCustomAttributes(true), typeof(CleanupAttribute)))
                {
                    string error = Invoke(methods[i]);
                    if (error != null)
                    {
                        Report(type.FullName + "." + methods[i].Name, "Cleanup failed: " + error, DateTime.UtcNow.Ticks);
                    }
                }
            }
        }

        // The launcher's contract: test methods are called with no instance, so a test may keep state only in statics.
        static string Invoke(MethodInfo method)
        {
            try
            {
                method.Invoke(null, null);
                return null;
            }
            catch (Exception e)
            {
                return e.GetType().FullName + ": " + OneLine(e.Message);
            }
        }

        static void Report(string name, string error, long started)
        {
            if (error == null)
            {
                _passed++;
                Console.WriteLine(Prefix + "passed " + name + " " + ((DateTime.UtcNow.Ticks - started) / TimeSpan.TicksPerMillisecond) + " ms");
            }
            else
            {
                _failed++;
                Console.WriteLine(Prefix + "failed " + name + " " + error);
            }
        }

        static bool Has(object[] attributes, Type attributeType)
        {
            for (int i = 0; i < attributes.Length; i++)
            {
                if (attributes[i].GetType() == attributeType)
                {
                    return true;
                }
            }

            return false;
        }

        static string OneLine(string text)
        {
            if (text == null)
            {
                return "";
            }

            char[] chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] == '\r' || chars[i] == '\n')
                {
                    chars[i] = ' ';
                }
            }

            return new string(chars);
        }
    }
}
