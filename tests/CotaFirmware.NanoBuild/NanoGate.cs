using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace CotaFirmware.NanoBuild;

/// <summary>
/// The nanoFramework gate: compiles sources with no standard library against the device's real mscorlib,
/// then reads the assembly's metadata for what the device cannot run.
/// </summary>
/// <remarks>
/// The device CLR has no generics, no unsafe code, and none of the runtime features that modern compilers mark
/// with embedded attributes. Roslyn compiles most of that without a word against nanoFramework's mscorlib, and
/// the failure shows only at deploy or at run time on a board. This gate makes it a test failure here, naming the
/// source file and the construct.
/// </remarks>
public static class NanoGate
{
    /// <summary>Compiler-embedded attributes the gate lets through: every current compiler emits them into each module.</summary>
    private static readonly string[] AllowedEmbedded = { "RefSafetyRulesAttribute", "EmbeddedAttribute" };

    /// <summary>The string indexer, <c>s[i]</c>: quadratic in a loop and wrong at surrogate pairs on the device.</summary>
    private const string StringIndexer = "System.String::get_Chars";

    /// <summary>Compiles <paramref name="sources"/> as a device library against the device mscorlib plus <paramref name="references"/>, and checks the result.</summary>
    /// <returns>One line per violation: compiler errors first, then metadata findings. Empty when the sources pass.</returns>
    public static IReadOnlyList<string> Check(IEnumerable<string> sources, IEnumerable<string>? references = null, string? outputDir = null, string assemblyName = "Gate")
    {
        string dir = outputDir ?? Path.Combine(Path.GetTempPath(), "nanogate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string dll = Path.Combine(dir, assemblyName + ".dll");
        var referenced = (references ?? Array.Empty<string>()).ToList();
        try
        {
            var errors = DeviceCompiler.Compile(CompileOptions.Plain, sources, referenced, dll);
            if (errors.Count > 0)
            {
                return errors;
            }

            return Inspect(dll, allowedReferences: referenced.Select(r => Path.GetFileNameWithoutExtension(r)).ToArray());
        }
        finally
        {
            if (outputDir == null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Reads a compiled assembly's metadata for constructs the device lacks.</summary>
    public static IReadOnlyList<string> Inspect(string dll, string[] allowedReferences)
    {
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var found = new List<string>();
        var (documents, typeDocuments) = SourceDocuments(pe, dll);

        foreach (var h in md.AssemblyReferences)
        {
            string name = md.GetString(md.GetAssemblyReference(h).Name);
            if (name != "mscorlib" && !allowedReferences.Contains(name))
            {
                found.Add("assembly: references " + name + ", which its project does not declare");
            }
        }

        var names = new SignatureNames(md);
        var owners = new Dictionary<EntityHandle, string>();
        foreach (var th in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(th);
            string typeName = TypeName(md, type);
            string typeFile = type.GetMethods().Select(m => documents.GetValueOrDefault(m)).FirstOrDefault(d => d != null)
                ?? typeDocuments.GetValueOrDefault(th) ?? "(no source)";
            owners[th] = typeFile + ": " + typeName;
            if (type.GetGenericParameters().Count > 0)
            {
                found.Add(typeFile + ": defines generic type " + typeName);
            }

            foreach (var fh in type.GetFields())
            {
                var field = md.GetFieldDefinition(fh);
                owners[fh] = typeFile + ": " + typeName + "." + md.GetString(field.Name);
                string sig = names.Decode(() => field.DecodeSignature(names, null));
                if (names.TakeFinding() is { } what)
                {
                    found.Add(owners[fh] + " is of type " + sig + ", " + what);
                }
            }

            foreach (var ph in type.GetProperties())
            {
                owners[ph] = typeFile + ": " + typeName + "." + md.GetString(md.GetPropertyDefinition(ph).Name);
            }

            foreach (var mh in type.GetMethods())
            {
                var method = md.GetMethodDefinition(mh);
                string where = (documents.GetValueOrDefault(mh) ?? typeFile) + ": " + typeName + "." + md.GetString(method.Name);
                owners[mh] = where;
                foreach (var parameter in method.GetParameters())
                {
                    owners[parameter] = where;
                }

                if (method.GetGenericParameters().Count > 0)
                {
                    found.Add(where + " is a generic method");
                }

                names.Decode(() => method.DecodeSignature(names, null).ReturnType);
                if (names.TakeFinding() is { } sigFinding)
                {
                    found.Add(where + ": its signature has " + sigFinding);
                }

                if (method.RelativeVirtualAddress != 0)
                {
                    InspectBody(pe, md, method, where, names, found);
                }
            }
        }

        foreach (var ah in md.CustomAttributes)
        {
            var attribute = md.GetCustomAttribute(ah);
            string attr = AttributeTypeName(md, attribute);
            int dot = attr.LastIndexOf('.');
            if (dot > 0 && IsEmbeddedFeature(attr[..dot], attr[(dot + 1)..]))
            {
                string owner = owners.GetValueOrDefault(attribute.Parent) ?? "(assembly)";
                found.Add(owner + " carries " + attr + ", which marks a feature the device lacks");
            }
        }

        return found.Distinct().ToList();
    }

    private static bool IsEmbeddedFeature(string ns, string name) =>
        (ns == "System.Runtime.CompilerServices" || ns == "Microsoft.CodeAnalysis" || ns == "System.Diagnostics.CodeAnalysis")
        && name.EndsWith("Attribute", StringComparison.Ordinal)
        && !AllowedEmbedded.Contains(name)
        && !MscorlibTypes.Value.Contains(ns + "." + name);

    private static readonly Lazy<HashSet<string>> MscorlibTypes = new(() =>
    {
        using var stream = File.OpenRead(NanoTools.Mscorlib);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
            .Where(t => (t.Attributes & TypeAttributes.VisibilityMask) == TypeAttributes.Public)
            .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToHashSet();
    });

    private static void InspectBody(PEReader pe, MetadataReader md, MethodDefinition method, string where, SignatureNames names, List<string> found)
    {
        var body = pe.GetMethodBody(method.RelativeVirtualAddress);
        if (!body.LocalSignature.IsNil)
        {
            var locals = md.GetStandaloneSignature(body.LocalSignature);
            string sig = names.Decode(() => string.Join(", ", locals.DecodeLocalSignature(names, null)));
            if (names.TakeFinding() is { } what)
            {
                found.Add(where + ": a local (" + sig + ") " + what);
            }
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int code = il.ReadByte();
            if (code == 0xFE)
            {
                code = 0xFE00 | il.ReadByte();
            }

            if (!OperandTypes.TryGetValue((short)code, out var operand))
            {
                found.Add(where + ": unknown IL opcode 0x" + code.ToString("X"));
                return;
            }

            switch (operand)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    int targets = il.ReadInt32();   // read first: "il.Offset += 4 * il.ReadInt32()" would take Offset before the read
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    string used = names.Decode(() => TokenName(md, MetadataTokens.EntityHandle(il.ReadInt32()), names));
                    if (names.TakeFinding() is { } what)
                    {
                        found.Add(where + ": uses " + used + ", " + what);
                    }

                    if (used == StringIndexer)
                    {
                        found.Add(where + ": indexes a string per char (s[i]); on the device a string is UTF-8 inside, so s[i] walks it "
                            + "from its start and gives the high surrogate again at a pair's low half: read it once with ToCharArray or use Text/Utf8");
                    }

                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
    }

    private static string TokenName(MetadataReader md, EntityHandle h, SignatureNames names)
    {
        switch (h.Kind)
        {
            case HandleKind.TypeSpecification:
                return md.GetTypeSpecification((TypeSpecificationHandle)h).DecodeSignature(names, null);
            case HandleKind.MethodSpecification:
                var spec = md.GetMethodSpecification((MethodSpecificationHandle)h);
                names.MarkGeneric();
                return TokenName(md, spec.Method, names) + "<" + string.Join(",", spec.DecodeSignature(names, null)) + ">";
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)h);
                return TokenName(md, member.Parent, names) + "::" + md.GetString(member.Name);
            case HandleKind.TypeReference:
                return names.GetTypeFromReference(md, (TypeReferenceHandle)h, 0);
            case HandleKind.TypeDefinition:
                return names.GetTypeFromDefinition(md, (TypeDefinitionHandle)h, 0);
            case HandleKind.MethodDefinition:
                var def = md.GetMethodDefinition((MethodDefinitionHandle)h);
                return TypeName(md, md.GetTypeDefinition(def.GetDeclaringType())) + "::" + md.GetString(def.Name);
            case HandleKind.FieldDefinition:
                var field = md.GetFieldDefinition((FieldDefinitionHandle)h);
                return TypeName(md, md.GetTypeDefinition(field.GetDeclaringType())) + "::" + md.GetString(field.Name);
            default:
                return h.Kind.ToString();
        }
    }

    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (short)(o.Size == 2 ? (0xFE00 | (o.Value & 0xFF)) : (o.Value & 0xFF)), o => o.OperandType);

    /// <summary>Kind of Roslyn's custom debug information that names the files of types with no method bodies.</summary>
    private static readonly Guid TypeDefinitionDocumentsKind = new("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3");

    /// <summary>Maps methods, and types that have no method with a sequence point, to their source files through the PDB (embedded or beside the assembly).</summary>
    private static (Dictionary<MethodDefinitionHandle, string>, Dictionary<TypeDefinitionHandle, string>) SourceDocuments(PEReader pe, string dll)
    {
        var map = new Dictionary<MethodDefinitionHandle, string>();
        var types = new Dictionary<TypeDefinitionHandle, string>();
        if (!pe.TryOpenAssociatedPortablePdb(dll, path => File.Exists(path) ? File.OpenRead(path) : null, out var opened, out _) || opened == null)
        {
            return (map, types);
        }

        using var provider = opened;
        var pdb = provider.GetMetadataReader();
        foreach (var h in pdb.CustomDebugInformation)
        {
            var info = pdb.GetCustomDebugInformation(h);
            if (info.Parent.Kind == HandleKind.TypeDefinition && pdb.GetGuid(info.Kind) == TypeDefinitionDocumentsKind)
            {
                var blob = pdb.GetBlobReader(info.Value);
                if (blob.RemainingBytes > 0)
                {
                    var doc = MetadataTokens.DocumentHandle(blob.ReadCompressedInteger());
                    types[(TypeDefinitionHandle)info.Parent] = pdb.GetString(pdb.GetDocument(doc).Name);
                }
            }
        }

        foreach (var h in pdb.MethodDebugInformation)
        {
            var info = pdb.GetMethodDebugInformation(h);
            var doc = info.Document;
            if (doc.IsNil)
            {
                var first = info.GetSequencePoints().FirstOrDefault();
                doc = first.Document;
            }

            if (!doc.IsNil)
            {
                map[h.ToDefinitionHandle()] = pdb.GetString(pdb.GetDocument(doc).Name);
            }
        }

        return (map, types);
    }

    private static string TypeName(MetadataReader md, TypeDefinition t)
    {
        string name = md.GetString(t.Name);
        if (t.IsNested)
        {
            return TypeName(md, md.GetTypeDefinition(t.GetDeclaringType())) + "+" + name;
        }

        string ns = md.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static string AttributeTypeName(MetadataReader md, CustomAttribute a)
    {
        EntityHandle type = a.Constructor.Kind == HandleKind.MemberReference
            ? md.GetMemberReference((MemberReferenceHandle)a.Constructor).Parent
            : md.GetMethodDefinition((MethodDefinitionHandle)a.Constructor).GetDeclaringType();
        if (type.Kind == HandleKind.TypeReference)
        {
            var r = md.GetTypeReference((TypeReferenceHandle)type);
            return md.GetString(r.Namespace) + "." + md.GetString(r.Name);
        }

        if (type.Kind == HandleKind.TypeDefinition)
        {
            return TypeName(md, md.GetTypeDefinition((TypeDefinitionHandle)type));
        }

        return type.Kind.ToString();
    }

    /// <summary>Decodes signatures into readable names, remembering whether they held a generic or a pointer.</summary>
    private sealed class SignatureNames : ISignatureTypeProvider<string, object?>
    {
        private readonly MetadataReader _md;
        private string? _finding;

        public SignatureNames(MetadataReader md) => _md = md;

        public string Decode(Func<string> decode)
        {
            _finding = null;
            return decode();
        }

        public string? TakeFinding()
        {
            string? f = _finding;
            _finding = null;
            return f;
        }

        public void MarkGeneric() => _finding ??= "a generic instantiation (the device has no generics)";

        private void MarkPointer() => _finding ??= "a pointer type (the device has no unsafe code)";

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            TypeName(reader, reader.GetTypeDefinition(handle));

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var r = reader.GetTypeReference(handle);
            string ns = reader.GetString(r.Namespace);
            return (ns.Length == 0 ? "" : ns + ".") + reader.GetString(r.Name);
        }

        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            MarkGeneric();
            return genericType + "<" + string.Join(",", typeArguments) + ">";
        }

        public string GetGenericMethodParameter(object? genericContext, int index)
        {
            MarkGeneric();
            return "!!" + index;
        }

        public string GetGenericTypeParameter(object? genericContext, int index)
        {
            MarkGeneric();
            return "!" + index;
        }

        public string GetPointerType(string elementType)
        {
            MarkPointer();
            return elementType + "*";
        }

        public string GetFunctionPointerType(MethodSignature<string> signature)
        {
            MarkPointer();
            return "delegate*";
        }

        public string GetPinnedType(string elementType)
        {
            MarkPointer();
            return elementType + " pinned";
        }

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
