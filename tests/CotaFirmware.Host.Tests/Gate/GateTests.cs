namespace CotaFirmware.HostTests.Gate;

[TestClass]
public sealed class GateTests
{
    private readonly TempFolder _scratch = new("gate-test");
    private int _scratches;

    [TestCleanup]
    public void DeleteScratch() => _scratch.Dispose();

    [TestMethod]
    public void EveryCoreLayerIsOneAssemblyBuiltByACsprojAndItsNfprojTwin()
    {
        var layers = CoreLayer.All();
        Assert.IsTrue(layers.Count >= 2, "no layer projects under " + Repo.CoreFolder);
        var problems = new List<string>();
        foreach (var layer in layers)
        {
            problems.AddRange(CompileList.Compare(layer.Nfproj));
            if (layer.DeviceAssemblyName != layer.AssemblyName)
            {
                problems.Add(Path.GetFileName(layer.Nfproj) + " builds " + layer.DeviceAssemblyName + ", its twin " + layer.AssemblyName);
            }

            // A legacy .nfproj does not pass references on, so it names every layer below that the csproj reaches.
            var expected = CoreLayer.Closure(layer, layers).Select(l => l.Name).Order().ToList();
            var named = layer.DeviceReferences.Order().ToList();
            if (!expected.SequenceEqual(named))
            {
                problems.Add(Path.GetFileName(layer.Nfproj) + " references " + string.Join(", ", named) + "; its csproj reaches " + string.Join(", ", expected));
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
    }

    [TestMethod]
    public void CoreLayerReferenceOnlyLayersBelowThemInTheDocumentedOrder()
    {
        var layers = CoreLayer.All();
        var order = CoreLayer.Order;
        CollectionAssert.AreEquivalent(order.ToList(), layers.Select(l => l.Name).ToList(), "every layer folder is in the documented order, and only those");
        foreach (var layer in layers)
        {
            foreach (string reference in layer.References)
            {
                Assert.IsTrue(Array.IndexOf(order, reference) < Array.IndexOf(order, layer.Name),
                    layer.Name + " references " + reference + ", which is not below it");
            }
        }
    }

    [TestMethod]
    public void TheDocumentedLayerTablesMatchTheProjects()
    {
        var layers = CoreLayer.All();
        foreach (string doc in new[] { "README.md", Path.Combine("docs", "architecture.md") })
        {
            // Rows like: | `Json/` | job | Platform, Text, Crypto |  (the App row says it references every layer).
            var rows = File.ReadAllLines(Repo.Path(doc))
                .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^\| `(\w+)/?` \|.*\| ([^|]+) \|$"))
                .Where(m => m.Success && CoreLayer.Order.Contains(m.Groups[1].Value))
                .ToList();
            CollectionAssert.AreEqual(CoreLayer.Order, rows.Select(m => m.Groups[1].Value).ToArray(), doc + ": the layer table's rows, bottom to top");
            foreach (var row in rows)
            {
                var layer = layers.Single(l => l.Name == row.Groups[1].Value);
                string cell = row.Groups[2].Value.Trim();
                var documented = cell == "nothing" ? new List<string>()
                    : cell is "every layer" or "all of the above" ? CoreLayer.Order.Where(n => n != layer.Name).ToList()
                    : cell.Split(", ").ToList();
                CollectionAssert.AreEquivalent(layer.References.ToList(), documented, doc + ": the references of " + layer.Name);
            }
        }
    }

    [TestMethod]
    public void NfprojPackageVersionsMatchTheCentralPins()
    {
        var central = System.Xml.Linq.XDocument.Load(Repo.Path("Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var configs = Directory.EnumerateFiles(Repo.Path("firmware"), "packages.config", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Repo.Path("tests"), "packages.config", SearchOption.AllDirectories));
        foreach (string config in configs)
        {
            foreach (var p in System.Xml.Linq.XDocument.Load(config).Descendants("package"))
            {
                string id = (string)p.Attribute("id")!;
                if (central.TryGetValue(id, out string? pinned))
                {
                    Assert.AreEqual(pinned, (string)p.Attribute("version")!, config + ": " + id);
                }
            }
        }
    }

    // The gate must bite: each of these is a mistake that compiles for .NET and fails only on a board.

    [TestMethod]
    public void GateRejectsAListOfInt() =>
        AssertRejected("namespace X; public class A { public int N() { var l = new System.Collections.Generic.List<int>(); return l.Count; } }",
            "'Generic' does not exist in the namespace 'System.Collections'");

    [TestMethod]
    public void GateRejectsStringBuilder() =>
        AssertRejected("namespace X; public class A { public string N() { var b = new System.Text.StringBuilder(); return b.ToString(); } }",
            "'Text' does not exist in the namespace 'System'");

    [TestMethod]
    public void GateRejectsAGenericMethodOfItsOwn() =>
        AssertRejected("namespace X; public class A { public static T Id<T>(T v) => v; public int N() => Id(3); }",
            "A.Id is a generic method");

    [TestMethod]
    public void GateRejectsAGenericTypeOfItsOwn() =>
        AssertRejected("namespace X; public class Box<T> { public T V; }", "defines generic type X.Box`1");

    [TestMethod]
    public void GateRejectsAGenericDelegateFromMscorlib() =>
        AssertRejected("namespace X; public class A { public void N() { System.Action<int> f = i => { }; f(1); } }",
            "System.Action`1<Int32>");

    [TestMethod]
    public void GateReadsPastASwitchTable() =>
        AssertRejected("namespace X; public class A { public static T Id<T>(T v) => v; public int N(int k) { switch (k) { case 0: return 5; case 1: return 7; case 2: return 9; case 3: return 11; } return Id(k); } }",
            "X.A.N: uses X.A::Id<Int32>");

    [TestMethod]
    public void GateRejectsNullableAnnotations() =>
        AssertRejected("#nullable enable\nnamespace X; public class A { public string? N(string? s) => s; }", "NullableContextAttribute");

    [TestMethod]
    public void GateRejectsReadOnlyStructs() =>
        AssertRejected("namespace X; public readonly struct R { public readonly int A; public R(int a) { A = a; } }", "IsReadOnlyAttribute");

    [TestMethod]
    public void GateRejectsRefStructs() =>
        AssertRejected("namespace X; public ref struct R { public int A; }", "IsByRefLikeAttribute");

    [TestMethod]
    public void GateRejectsUnsafeCode() =>
        AssertRejected("namespace X; public class A { public unsafe int N(int* p) => *p; }", "CS0227");

    [TestMethod]
    public void GateRejectsIndexingAStringPerChar() =>
        AssertRejected("namespace X; public class A { public int N(string s) { int n = 0; for (int i = 0; i < s.Length; i++) n += s[i]; return n; } }",
            "indexes a string per char");

    [TestMethod]
    public void GateReadsPastASwitch() =>
        AssertRejected("namespace X; public class A { public int N(int k, string s) { switch (k) { case 0: return 1; case 1: return 2; case 2: return 5; } return s[0]; } }",
            "indexes a string per char");

    [TestMethod]
    public void GateRejectsAReferenceToAnotherAssembly()
    {
        string dir = Scratch();
        string lib = Path.Combine(dir, "Other.cs");
        File.WriteAllText(lib, "namespace O; public class B { public static int V = 1; }");
        Assert.AreEqual(0, NanoGate.Check(new[] { lib }, outputDir: dir, assemblyName: "Other").Count);
        string otherDll = Path.Combine(dir, "Other.dll");

        string src = Path.Combine(dir, "Uses.cs");
        File.WriteAllText(src, "namespace X; public class A { public int N() => O.B.V; }");
        var mainDir = Path.Combine(dir, "main");
        Assert.AreEqual(0, NanoGate.Check(new[] { src }, new[] { otherDll }, mainDir).Count, "allowed when declared");
        var findings = NanoGate.Inspect(Path.Combine(mainDir, "Gate.dll"), Array.Empty<string>());
        StringAssert.Contains(string.Join("\n", findings), "references Other, which its project does not declare");
    }

    [TestMethod]
    public void GateLetsPlainCodeThrough() =>
        Assert.AreEqual(0, NanoGate.Check(new[] { Write("namespace X; public sealed class A { readonly byte[] _b = new byte[4]; public int P { get; init; } public int N(System.Collections.ArrayList l) { int s = 0; foreach (object o in l) s += (int)o; return s + _b.Length; } }") }).Count);

    [TestMethod]
    public void CompileListNamesMissingAndExtraFiles()
    {
        string dir = Scratch();
        Directory.CreateDirectory(Path.Combine(dir, "Json"));
        File.WriteAllText(Path.Combine(dir, "Json", "Reader.cs"), "");
        File.WriteAllText(Path.Combine(dir, "P.nfproj"),
            "<Project><ItemGroup><Compile Include=\"Json\\Gone.cs\" /><Compile Include=\"..\\Linked.cs\" /></ItemGroup></Project>");
        var problems = string.Join("\n", CompileList.Compare(Path.Combine(dir, "P.nfproj")));
        StringAssert.Contains(problems, "does not list Json/Reader.cs");
        StringAssert.Contains(problems, "lists Json/Gone.cs, which does not exist");
        Assert.IsFalse(problems.Contains("Linked.cs"), problems);
    }

    private void AssertRejected(string source, string expected)
    {
        string file = Write(source);
        var findings = NanoGate.Check(new[] { file });
        string all = string.Join("\n", findings);
        Assert.IsTrue(findings.Count > 0, "the gate let this through:\n" + source);
        StringAssert.Contains(all, expected);
        StringAssert.Contains(all, Path.GetFileName(file));
    }

    private string Write(string source)
    {
        string path = Path.Combine(Scratch(), "Case.cs");
        File.WriteAllText(path, source);
        return path;
    }

    // A folder of its own for each case the test writes, all under the test's scratch folder.
    private string Scratch()
    {
        string dir = Path.Combine(_scratch.Path, (++_scratches).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
