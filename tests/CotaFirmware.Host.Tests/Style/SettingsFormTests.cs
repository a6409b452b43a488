using System.Reflection;

namespace CotaFirmware.HostTests.Style;

/// <summary>Holds every settings type of the core and the host board to one form, which .editorconfig cannot state.</summary>
[TestClass]
public sealed class SettingsFormTests
{
    private static IEnumerable<Type> ProjectTypes()
    {
        var assemblies = new HashSet<Assembly> { typeof(CotaFirmware.Host.Cloud.LocalPlatform).Assembly };
        foreach (var name in typeof(CotaFirmware.App.CotaDevice).Assembly.GetReferencedAssemblies()
            .Where(n => n.Name!.StartsWith("CotaFirmware.", StringComparison.Ordinal)))
        {
            assemblies.Add(Assembly.Load(name));
        }

        assemblies.Add(typeof(CotaFirmware.App.CotaDevice).Assembly);
        return assemblies.SelectMany(a => a.GetTypes()).Where(t => t.IsPublic);
    }

    [TestMethod]
    public void SettingsAreNamedSettings()
    {
        var others = ProjectTypes().Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) || t.Name.EndsWith("Config", StringComparison.Ordinal))
            .Select(t => t.FullName).ToList();
        Assert.AreEqual(0, others.Count, "settings types are named *Settings: " + string.Join(", ", others));
    }

    // One form for every settings type: a sealed class of public fields with their defaults. On the device an
    // auto-property is two methods, their names and a backing field in the .pe (about 5.7 KB over the core's six).
    [TestMethod]
    public void SettingsAreSealedClassesOfPublicFieldsNotSettableProperties()
    {
        var settings = ProjectTypes().Where(t => t.Name.EndsWith("Settings", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(settings.Count >= 6, "expected the core's and the host's settings types, found " + settings.Count);
        var problems = new List<string>();
        foreach (var type in settings)
        {
            if (!type.IsClass || !type.IsSealed)
            {
                problems.Add(type.Name + " is not a sealed class");
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (property.CanWrite)
                {
                    problems.Add(type.Name + "." + property.Name + " is a settable property; settings are public fields");
                }
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
    }
}
