using System;
using CotaFirmware.Crypto;
using CotaFirmware.Json;

namespace CotaFirmware.Config;

/// <summary>Where each module's section lies in a config and its SHA-256, for the config in force and the one scanned last; tells which sections changed.</summary>
/// <remarks>
/// One pass over the whole config (<see cref="Scan"/>) finds each known top-level section's place and hashes its raw
/// bytes (<see cref="JsonReader.HashValue"/>). The hashes of what is applied stay in RAM, so comparing a new config
/// with the active one costs no extra read of the old config and no flash write. RAM is fixed at construction.
/// </remarks>
internal sealed class ConfigSections
{
    private const int DigestSize = Sha256.DigestLength;

    private readonly ModuleRegistry _modules;
    private readonly Sha256 _sha = new Sha256();
    private readonly JsonReader _json;

    // What is applied now (active) and what the last scan found (next), per module index.
    private readonly byte[] _activeDigests;
    private readonly bool[] _activePresent;
    private readonly byte[] _nextDigests;
    private readonly bool[] _nextPresent;
    private readonly int[] _nextOffsets;
    private readonly int[] _nextLengths;

    /// <summary>Creates the table for every module <paramref name="modules"/> can hold; configs are parsed through <paramref name="window"/>.</summary>
    internal ConfigSections(ModuleRegistry modules, byte[] window)
    {
        _modules = modules;
        _json = new JsonReader(window);
        int capacity = modules.Capacity;
        _activeDigests = new byte[capacity * DigestSize];
        _activePresent = new bool[capacity];
        _nextDigests = new byte[capacity * DigestSize];
        _nextPresent = new bool[capacity];
        _nextOffsets = new int[capacity];
        _nextLengths = new int[capacity];
    }

    /// <summary>Why the last <see cref="Scan"/> failed as JSON, <see cref="JsonError.None"/> otherwise.</summary>
    internal JsonError Error
    {
        get { return _json.Error; }
    }

    /// <summary>The byte where the last scan's JSON error is.</summary>
    internal int ErrorOffset
    {
        get { return _json.ErrorOffset; }
    }

    /// <summary>True when the last scan found module <paramref name="i"/>'s section.</summary>
    internal bool IsPresent(int i)
    {
        return _nextPresent[i];
    }

    /// <summary>Where module <paramref name="i"/>'s section starts in the scanned config.</summary>
    internal int Offset(int i)
    {
        return _nextOffsets[i];
    }

    /// <summary>How long module <paramref name="i"/>'s section is in the scanned config.</summary>
    internal int Length(int i)
    {
        return _nextLengths[i];
    }

    /// <summary>Forgets what the last scan found: every module takes its defaults.</summary>
    internal void ClearScan()
    {
        Array.Clear(_nextPresent, 0, _nextPresent.Length);
    }

    /// <summary>True when module <paramref name="i"/>'s section differs between the active config and the scanned one (hash, or present/absent).</summary>
    internal bool Changed(int i)
    {
        if (_nextPresent[i] != _activePresent[i])
        {
            return true;
        }

        if (!_nextPresent[i])
        {
            return false;
        }

        int at = i * DigestSize;
        for (int k = 0; k < DigestSize; k++)
        {
            if (_nextDigests[at + k] != _activeDigests[at + k])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The scanned config is what is applied now.</summary>
    internal void KeepScanAsActive()
    {
        Array.Copy(_nextDigests, _activeDigests, _nextDigests.Length);
        Array.Copy(_nextPresent, _activePresent, _nextPresent.Length);
    }

    /// <summary>The storage code of a read that failed during the last <see cref="Scan"/>, or 0: the bytes were not judged.</summary>
    internal int ReadFailure => _json.SourceStatus;

    /// <summary>Parses the config <paramref name="source"/> points at: each known section's place and hash.</summary>
    /// <param name="source">The config's bytes.</param>
    /// <param name="errors">For a candidate, where unknown and repeated keys, a top level that is no object and broken JSON are recorded; null for the active config.</param>
    /// <returns>True when the whole config is one well-formed object with known keys only.</returns>
    internal bool Scan(IJsonSource source, ConfigErrors errors)
    {
        ClearScan();
        JsonReader json = _json;
        json.Begin(source);
        if (!json.Read())
        {
            return JsonFailed(errors);
        }

        if (json.TokenKind != JsonTokenKind.BeginObject)
        {
            if (errors != null)
            {
                errors.SetModule(null, 0, 0);
                errors.AddError(ConfigErrorCode.ValueFormatNotValid);
            }

            return false;
        }

        while (true)
        {
            if (!json.Read())
            {
                return JsonFailed(errors);
            }

            if (json.TokenKind == JsonTokenKind.EndObject)
            {
                break;
            }

            int index = _modules.IndexOf(json);
            if (index < 0 || _nextPresent[index])
            {
                if (errors != null)
                {
                    errors.SetModule(null, 0, 0);
                    errors.AddError(index < 0 ? ConfigErrorCode.KeyNotRecognized : ConfigErrorCode.DuplicateKey, json);
                }

                if (!json.Skip())
                {
                    return JsonFailed(errors);
                }

                continue;
            }

            if (!json.Read())
            {
                return JsonFailed(errors);
            }

            int start = json.TokenOffset;
            _sha.Reset();
            if (!json.HashValue(_sha))
            {
                return JsonFailed(errors);
            }

            _sha.Final(_nextDigests, index * DigestSize);
            _nextOffsets[index] = start;
            _nextLengths[index] = json.TokenOffset + json.TokenLength - start;
            _nextPresent[index] = true;
        }

        // Only whitespace may follow the object.
        if (json.Read() || json.Error != JsonError.None)
        {
            return JsonFailed(errors);
        }

        return true;
    }

    private bool JsonFailed(ConfigErrors errors)
    {
        if (errors != null)
        {
            errors.SetModule(null, 0, 0);
            errors.SetJsonError(_json.Error == JsonError.None ? JsonError.UnexpectedEnd : _json.Error, _json.ErrorOffset);
        }

        return false;
    }
}
