using System;
using CotaFirmware.Crypto;
using CotaFirmware.Json;

namespace CotaFirmware.Config;

/// <summary>The modules a config may configure, in registration order (the order they are applied in).</summary>
public sealed class ModuleRegistry
{
    private readonly IConfigModule[] _modules;
    private int _count;

    /// <summary>Creates an empty registry with room for <paramref name="capacity"/> modules.</summary>
    public ModuleRegistry(int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException("capacity");
        }

        _modules = new IConfigModule[capacity];
    }

    /// <summary>How many modules are registered.</summary>
    public int Count
    {
        get { return _count; }
    }

    /// <summary>How many modules the registry can hold.</summary>
    public int Capacity
    {
        get { return _modules.Length; }
    }

    /// <summary>Adds <paramref name="module"/> after the ones registered before.</summary>
    /// <returns>The module's index.</returns>
    /// <exception cref="ArgumentException">The registry is full, the name is empty or too long, or already taken.</exception>
    public int Register(IConfigModule module)
    {
        if (module == null)
        {
            throw new ArgumentNullException("module");
        }

        byte[] name = module.Name;
        if (_count == _modules.Length || name == null || name.Length == 0 || name.Length > ConfigErrors.MaxNameLength || IndexOf(name) >= 0)
        {
            throw new ArgumentException("module");
        }

        _modules[_count] = module;
        return _count++;
    }

    /// <summary>The module at <paramref name="index"/> (0 .. <see cref="Count"/> - 1).</summary>
    public IConfigModule ModuleAt(int index)
    {
        if (index < 0 || index >= _count)
        {
            throw new ArgumentOutOfRangeException("index");
        }

        return _modules[index];
    }

    /// <summary>The index of the module whose name is the property name <paramref name="reader"/> stands on, or -1.</summary>
    public int IndexOf(JsonReader reader)
    {
        for (int i = 0; i < _count; i++)
        {
            if (reader.ValueEquals(_modules[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    private int IndexOf(byte[] name)
    {
        for (int i = 0; i < _count; i++)
        {
            byte[] other = _modules[i].Name;
            if (ConstantTime.AreEqual(other, 0, other.Length, name, 0, name.Length))
            {
                return i;
            }
        }

        return -1;
    }
}
