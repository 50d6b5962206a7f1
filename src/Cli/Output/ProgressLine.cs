using System.Diagnostics;
using System.Globalization;

namespace SearchRerank.Cli.Output;

/// <summary>
/// One task's progress on standard error: on a terminal a live line rewritten in place (at most 10 times a second);
/// piped, a plain line every <see cref="PlainInterval"/> and one when the task completes. Each line states what was
/// done, the rate and, when the total is known, the percentage and the time left, e.g.
/// <c>indexing: 3,000/5,183 documents (58%), 2,950 docs/s, ETA 0:01</c>. Thread-safe: batch search reports from
/// several workers. Disposing completes the line.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter writer;
    private readonly bool live;
    private readonly string label;
    private readonly string unit;
    private readonly string rateUnit;
    private readonly TimeSpan plainInterval;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly object gate = new();
    private TimeSpan? lastWrite;
    private (TimeSpan At, double Done)? origin;
    private string last = "";
    private string written = "";
    private bool completed;

    public ProgressLine(TextWriter writer, bool live, string label, string unit, string rateUnit, TimeSpan plainInterval)
    {
        this.writer = writer;
        this.live = live;
        this.label = label;
        this.unit = unit;
        this.rateUnit = rateUnit;
        this.plainInterval = plainInterval;
    }

    /// <summary>How often a piped progress line is written: 5 s, or SEARCHRERANK_PROGRESS_SECONDS.</summary>
    public static TimeSpan PlainInterval =>
        double.TryParse(Environment.GetEnvironmentVariable("SEARCHRERANK_PROGRESS_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromSeconds(5);

    /// <summary>
    /// Units done before this run began (e.g. what an interrupted import committed): counted in the share and the
    /// position, not in the rate. Call before the first <see cref="Update"/>.
    /// </summary>
    public void StartAt(double done)
    {
        lock (gate)
            origin ??= (TimeSpan.Zero, done);
    }

    /// <summary>Records <paramref name="done"/> of <paramref name="total"/> (null: unknown) units; <paramref name="detail"/> is appended (e.g. a loss).</summary>
    public void Update(double done, double? total = null, string? detail = null)
    {
        lock (gate)
        {
            if (completed)
                return;
            last = Format(done, total, detail);
            var now = clock.Elapsed;
            if (lastWrite is { } previous && now - previous < (live ? LiveInterval : plainInterval))
                return;
            lastWrite = now;
            Write(last, final: false);
        }
    }

    /// <summary>Ends the line: the last state (or <paramref name="summary"/>) is written once more and kept.</summary>
    public void Complete(string? summary = null)
    {
        lock (gate)
        {
            if (completed)
                return;
            completed = true;
            if (summary is not null)
                last = $"{label}: {summary}";
            // Piped, a state already written is not repeated; live, the line still needs its newline.
            if (last.Length > 0 && (live || last != written))
                Write(last, final: true);
        }
    }

    public void Dispose() => Complete();

    private void Write(string text, bool final)
    {
        written = text;
        if (live)
            writer.Write($"\r\u001b[2K{text}{(final ? "\n" : "")}");
        else
            writer.WriteLine(text);
        writer.Flush();
    }

    private string Format(double done, double? total, string? detail)
    {
        var now = clock.Elapsed;
        if (origin is null && done > 0)
            origin = (now, done);
        // The rate counts from the first unit done, so that set-up before it (mining negatives, loading a model) does
        // not make the time left absurd; until a second update there is only the average since the start.
        var measured = origin is { } o && done > o.Done && now > o.At;
        var rate = measured ? (done - origin!.Value.Done) / (now - origin.Value.At).TotalSeconds
            : now.TotalSeconds > 0 ? done / now.TotalSeconds : 0;
        var parts = new List<string>();
        if (total is > 0 and var t)
        {
            parts.Add(Invariant($"{done:N0}/{t:N0} {unit} ({100 * done / t:F0}%)"));
            parts.Add(Invariant($"{rate:N1} {rateUnit}"));
            if (measured && rate > 0 && done < t)
                parts.Add($"ETA {Duration(TimeSpan.FromSeconds((t - done) / rate))}");
        }
        else
        {
            parts.Add(Invariant($"{done:N0} {unit}"));
            parts.Add(Invariant($"{rate:N1} {rateUnit}"));
        }
        parts.Add($"elapsed {Duration(clock.Elapsed)}");
        if (!string.IsNullOrEmpty(detail))
            parts.Add(detail);
        return $"{label}: {string.Join(", ", parts)}";
    }

    /// <summary>m:ss, or h:mm:ss from an hour on.</summary>
    public static string Duration(TimeSpan span) =>
        span.ToString(span.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
