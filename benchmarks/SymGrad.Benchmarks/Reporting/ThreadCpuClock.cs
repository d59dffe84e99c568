using System;
using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace SymGrad.Benchmarks.Reporting;

/// <summary>
/// A BenchmarkDotNet clock that reads the CPU time of the calling thread (Linux
/// <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>) instead of wall time. On a shared machine the
/// benchmark thread is regularly preempted by other processes; wall time counts those pauses, thread
/// CPU time does not. (Cache and memory-bandwidth interference from the other processes still counts.)
/// Python's side uses the same clock (<c>time.thread_time</c>).
/// </summary>
public sealed class ThreadCpuClock : IClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>The shared instance.</summary>
    public static ThreadCpuClock Instance { get; } = new();

    /// <inheritdoc/>
    public string Title => "ThreadCpuTime";

    /// <inheritdoc/>
    public bool IsAvailable => OperatingSystem.IsLinux() && TryRead(out _);

    /// <inheritdoc/>
    public Frequency Frequency => Frequency.GHz;

    /// <inheritdoc/>
    public long GetTimestamp() => TryRead(out long ns) ? ns : throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");

    private static bool TryRead(out long nanoseconds)
    {
        if (clock_gettime(ClockThreadCpuTimeId, out TimeSpec ts) != 0)
        {
            nanoseconds = 0;
            return false;
        }

        nanoseconds = ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
        return true;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clockId, out TimeSpec timeSpec);
}
