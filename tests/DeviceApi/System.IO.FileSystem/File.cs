// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.IO.FileSystem, System.IO.FileSystem/File.cs @ 05510a72dae6e0dd64d0c7e0e5f8aa7f0f79f5ef,
//         FileStream.cs @ bebc2daad327da803b1746066e6d64f3d08b4663, Directory.cs @ 9878b24c3db9b33af47d107812053e6933a90c5b,
//         FileMode.cs @ ec02f71a2bc980dc6d0a3e5e2398f4c4c5cdb085, FileAccess.cs @ fb5c320de62ff572acc5a47747fa3d2c94dbdc4b,
//         FileAttributes.cs @ e3a3e484cd2c4966a8b819b581cdfca2eba780cc
// Package: nanoFramework.System.IO.FileSystem 1.1.87 (assembly System.IO.FileSystem).
// Notes from the sources: File.Move throws when the target exists and copies + deletes across volumes; FileStream has
// no FileShare or buffer-size constructor, cannot seek or set Position past Length, and its Read allocates a
// buffer of the requested size on every call; Directory.CreateDirectory returns nothing and is not recursive.
// File.cs @ 1098443d51189ede7fd3745c785d4d6e3adbea45 adds OpenRead, OpenWrite, ReadAllBytes and WriteAllBytes; they are
// left out because they are not established for 1.1.87 (the members here are in both versions).
using System;

namespace System.IO
{
    public static class File
    {
        public static void Copy(string sourceFileName, string destFileName) => throw null;
        public static void Copy(string sourceFileName, string destFileName, bool overwrite) => throw null;
        public static FileStream Create(string path) => throw null;
        public static void Delete(string path) => throw null;
        public static bool Exists(string path) => throw null;
        public static void Move(string sourceFileName, string destFileName) => throw null;
        public static FileAttributes GetAttributes(string path) => throw null;
        public static void SetAttributes(string path, FileAttributes fileAttributes) => throw null;
        public static DateTime GetLastWriteTime(string path) => throw null;
    }

    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode) => throw null;
        public FileStream(string path, FileMode mode, FileAccess access) => throw null;
        public string Name => throw null;
        public string FilePath => throw null;
        public override bool CanRead => throw null;
        public override bool CanSeek => throw null;
        public override bool CanWrite => throw null;
        public override long Length => throw null;
        public override long Position { get => throw null; set => throw null; }
        public override void Close() => throw null;
        protected override void Dispose(bool disposing) => throw null;
        public override void Flush() => throw null;
        public override int Read(byte[] buffer, int offset, int count) => throw null;
        public override int ReadByte() => throw null;
        public override long Seek(long offset, SeekOrigin origin) => throw null;
        public override void SetLength(long value) => throw null;
        public override void Write(byte[] buffer, int offset, int count) => throw null;
    }

    public static class Directory
    {
        public static string[] GetLogicalDrives() => throw null;
        public static void CreateDirectory(string path) => throw null;
        public static void Delete(string path, bool recursive = false) => throw null;
        public static bool Exists(string path) => throw null;
        public static void Move(string sourcePath, string destinationPath) => throw null;
        public static string[] GetFiles(string path) => throw null;
        public static string[] GetDirectories(string path) => throw null;
        public static DateTime GetLastWriteTime(string path) => throw null;
    }

    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }

    [Flags]
    public enum FileAccess
    {
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }

    [Flags]
    public enum FileAttributes
    {
        ReadOnly = 0x01,
        Hidden = 0x02,
        System = 0x04,
        Directory = 0x10,
        Archive = 0x20,
        Normal = 0x80,
    }
}
