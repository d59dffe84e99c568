using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace SymGrad;

/// <summary>
/// Shows training progress on the console. On a terminal it redraws one line in place (<c>\r</c>), at
/// most every 50 ms; when output is redirected (a log file, CI) it prints a line for the first epoch,
/// about every tenth of the budget, and the last epoch. When <see cref="Trainer"/> or a minimizer finishes (or
/// throws), it calls <see cref="Complete"/>: the last epoch or iteration is shown, even if it came too soon after
/// the previous one to be drawn, and the line is ended, so the next line of output starts on its own.
/// Dispose it too: that does the same for reports made by your own code.
/// </summary>
/// <example>
/// <code>
/// using var bar = new ConsoleProgressBar();
/// var result = Trainer.Fit(new LossObjective(), data, parameters, options, bar);
/// Console.WriteLine(result); // on a line of its own
/// </code>
/// </example>
public sealed class ConsoleProgressBar : IProgress<EpochReport>, IDisposable
{
    private static readonly long RedrawInterval = Stopwatch.Frequency / 20;

    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly int _width;
    private readonly int _lines;
    private readonly string _label;
    private long _lastDraw = long.MinValue;
    private int _lastLength;
    private EpochReport? _pending;
    private bool _completed;

    /// <summary>Creates a progress bar.</summary>
    /// <param name="output">Where to write; <see cref="Console.Out"/> by default.</param>
    /// <param name="interactive">Redraw in place; by default true when writing to <see cref="Console.Out"/> and it is not redirected.</param>
    /// <param name="width">Characters of the bar itself (≥ 5).</param>
    /// <param name="lines">Roughly how many lines to print when not interactive (≥ 1).</param>
    /// <param name="label">Word for one unit of progress, "epoch" by default (use "iteration" for minimizers).</param>
    public ConsoleProgressBar(TextWriter? output = null, bool? interactive = null, int width = 30, int lines = 10, string label = "epoch")
    {
        Guard.CheckAtLeast(width, 5, nameof(width));
        Guard.CheckAtLeast(lines, 1, nameof(lines));
        ArgumentNullException.ThrowIfNull(label);
        _output = output ?? Console.Out;
        _interactive = interactive ?? ((output is null || ReferenceEquals(output, Console.Out)) && !Console.IsOutputRedirected);
        _width = width;
        _lines = lines;
        _label = label;
    }

    /// <summary>Draws (or prints) the report.</summary>
    /// <param name="value">The epoch's report.</param>
    public void Report(EpochReport value)
    {
        _completed = false;
        if (_interactive)
        {
            long now = Stopwatch.GetTimestamp();
            if (value.Epoch >= value.MaxEpochs || value.Epoch <= 1 || now - _lastDraw >= RedrawInterval)
            {
                _lastDraw = now;
                _pending = null;
                Redraw(value);
            }
            else
            {
                _pending = value;
            }

            return;
        }

        int every = Math.Max(1, value.MaxEpochs / _lines);
        if (value.Epoch == 1 || value.Epoch % every == 0 || value.Epoch >= value.MaxEpochs)
        {
            _pending = null;
            _output.WriteLine(Describe(value));
        }
        else
        {
            _pending = value;
        }
    }

    /// <summary>
    /// Shows the last report if it was skipped and ends the line. Called by the trainer and the minimizers when they
    /// finish, and by <see cref="Dispose"/>; calling it again does nothing until the next report.
    /// </summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_pending is EpochReport last)
        {
            _pending = null;
            if (_interactive)
            {
                Redraw(last);
            }
            else
            {
                _output.WriteLine(Describe(last));
            }
        }

        if (_interactive && _lastLength > 0)
        {
            _output.WriteLine();
            _lastLength = 0;
        }

        _output.Flush();
    }

    /// <summary>Same as <see cref="Complete"/>.</summary>
    public void Dispose() => Complete();

    private void Redraw(EpochReport value)
    {
        var line = new StringBuilder();
        int filled = value.MaxEpochs <= 0 ? _width : (int)Math.Round(_width * Math.Clamp((double)value.Epoch / value.MaxEpochs, 0.0, 1.0));
        line.Append('[').Append('#', filled).Append('.', _width - filled).Append("] ");
        line.Append(Describe(value));
        int length = line.Length;
        if (length < _lastLength)
        {
            line.Append(' ', _lastLength - length);
        }

        _lastLength = length;
        _output.Write('\r');
        _output.Write(line.ToString());
        _output.Flush();
    }

    private string Describe(EpochReport value)
    {
        string text = string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1}/{2}  loss {3:G6}  |grad| {4:G3}  {5:F1} s",
            _label,
            value.Epoch,
            value.MaxEpochs,
            value.Loss,
            value.GradientNorm,
            value.Elapsed.TotalSeconds);
        return value.ValidationMetric is double metric
            ? text + string.Format(CultureInfo.InvariantCulture, "  validation {0:G6}", metric)
            : text;
    }
}
