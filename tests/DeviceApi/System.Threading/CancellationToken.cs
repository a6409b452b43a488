// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Threading, nanoFramework.System.Threading/Threading/CancellationToken.cs,
//         CancellationTokenSource.cs and OperationCanceledException.cs @ 2ba518553182959cc63839260c592fd31f5817df
// Package: nanoFramework.System.Threading 1.1.52 (assembly System.Threading, per nanoFramework.System.Threading.nfproj).
using System;

namespace System.Threading
{
    public struct CancellationToken
    {
        public CancellationToken(bool canceled) => throw null;
        public static CancellationToken None => throw null;
        public bool IsCancellationRequested => throw null;
        public bool CanBeCanceled => throw null;
        public WaitHandle WaitHandle => throw null;
        public void ThrowIfCancellationRequested() => throw null;
    }

    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource() => throw null;
        public CancellationTokenSource(int millisecondsDelay) => throw null;
        public bool IsCancellationRequested => throw null;
        public CancellationToken Token => throw null;
        public void Cancel() => throw null;
        public void Cancel(bool throwOnFirstException) => throw null;
        public void CancelAfter(int millisecondsDelay) => throw null;
        public void Dispose() => throw null;
    }

    public class OperationCanceledException : Exception
    {
        public OperationCanceledException() => throw null;
    }
}
