// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Security.Cryptography, System.Security.Cryptography/HMACSHA256.cs @ 8678a302af14a79a1d7177cb3e12660229fdbb32
// Assembly name from System.Security.Cryptography/System.Security.Cryptography.nfproj @ 05d3bb6c3b8950d9438d545b2571d66ce508087a.
// Package: nanoFramework.System.Security.Cryptography; no version is pinned in the stored sources (its nuspec
// @ 1045519d095c03b8c9123784df824ac395db82ae depends on nanoFramework.CoreLibrary 1.15.5): take the newest stable.
using System;

namespace System.Security.Cryptography
{
    public class HMACSHA256 : IDisposable
    {
        public HMACSHA256() => throw null;
        public HMACSHA256(byte[] key) => throw null;
        public byte[] Hash => throw null;
        public byte[] Key { get => throw null; set => throw null; }
        public byte[] ComputeHash(byte[] buffer) => throw null;
        public static byte[] HashData(byte[] key, byte[] source) => throw null;
        public void Dispose() => throw null;
        protected void Dispose(bool disposing) => throw null;
    }
}
