using System;

namespace SymGrad;

/// <summary>What the trainer and the minimizers tell a progress display besides the reports.</summary>
internal static class ProgressDisplay
{
    /// <summary>
    /// The run is over (returned or threw): a <see cref="ConsoleProgressBar"/> shows the last report and ends its
    /// line now, so whatever the caller prints next starts on a line of its own even before the bar is disposed.
    /// </summary>
    public static void End(IProgress<EpochReport>? progress)
    {
        if (progress is ConsoleProgressBar bar)
        {
            bar.Complete();
        }
    }
}
