using System.Collections;
using System.Reflection;
using System.Runtime.Loader;

namespace CotaFirmware.NanoBuild;

/// <summary>
/// How large an assembly's byte code table would be, measured the way the MetadataProcessor builds it, for an assembly
/// it refuses with "Byte code table overflow" (it names no size). Runs the MetadataProcessor's own library from the
/// tools folder: the first pass, the minimization, then the byte code of every method that remains, summed.
/// </summary>
public static class ByteCodeMeasure
{
    /// <summary>The byte code table's size in bytes.</summary>
    public static long Of(string dll, IReadOnlyDictionary<string, string> hints)
    {
        string mdp = Path.Combine(NanoTools.Folder!, "mdp");
        var context = new AssemblyLoadContext("nanomdp-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        context.Resolving += (c, name) =>
        {
            string path = Path.Combine(mdp, name.Name + ".dll");
            return File.Exists(path) ? c.LoadFromAssemblyPath(path) : null;
        };
        try
        {
            var core = context.LoadFromAssemblyPath(Path.Combine(mdp, "nanoFramework.Tools.MetadataProcessor.Core.dll"));
            var cecil = context.LoadFromAssemblyPath(Path.Combine(mdp, "Mono.Cecil.dll"));
            Type Core(string name) => core.GetType("nanoFramework.Tools.MetadataProcessor." + name, throwOnError: true)!;

            var resolver = Activator.CreateInstance(Core("LoadHintsAssemblyResolver"), new Dictionary<string, string>(hints))!;
            var parameters = Activator.CreateInstance(cecil.GetType("Mono.Cecil.ReaderParameters", true)!)!;
            parameters.GetType().GetProperty("AssemblyResolver")!.SetValue(parameters, resolver);
            var definition = cecil.GetType("Mono.Cecil.AssemblyDefinition", true)!
                .GetMethod("ReadAssembly", new[] { typeof(string), parameters.GetType() })!.Invoke(null, new[] { dll, parameters })!;

            var builderType = Core("nanoAssemblyBuilder");
            var builder = builderType.GetConstructors().Single().Invoke(new object?[] { definition, new List<string>(), false, false, null, null, false });
            using (var stream = new MemoryStream())
            using (var writer = new BinaryWriter(stream))
            {
                var nanoWriter = Core("nanoBinaryWriter").GetMethod("CreateLittleEndianBinaryWriter")!.Invoke(null, new object[] { writer });
                builderType.GetMethod("Write", new[] { nanoWriter!.GetType() })!.Invoke(builder, new[] { nanoWriter });
            }

            builderType.GetMethod("Minimize")!.Invoke(builder, null);
            object tables = builderType.GetProperty("TablesContext")!.GetValue(builder)!;
            object byteCode = tables.GetType().GetProperty("ByteCodeTable")!.GetValue(tables)!;
            object types = tables.GetType().GetProperty("TypeDefinitionTable")!.GetValue(tables)!;
            var methodDefinition = cecil.GetType("Mono.Cecil.MethodDefinition", true)!;
            var create = byteCode.GetType().GetMethod("CreateByteCode", BindingFlags.NonPublic | BindingFlags.Instance, new[] { methodDefinition })!;
            long total = 0;
            foreach (object type in (IEnumerable)types.GetType().GetProperty("Items")!.GetValue(types)!)
            {
                foreach (object method in (IEnumerable)type.GetType().GetProperty("Methods")!.GetValue(type)!)
                {
                    total += ((byte[])create.Invoke(byteCode, new[] { method })!).Length;
                }
            }

            return total;
        }
        finally
        {
            context.Unload();
        }
    }
}
