using System.CommandLine;
using Spectre.Console;

namespace SearchRerank.Cli.Output;

/// <summary>
/// How a command talks to its user. Results (tables, metrics, summaries) go to standard output through
/// <see cref="AnsiConsole"/>, configured by <see cref="TerminalKind"/>; progress, notes and warnings go to standard
/// error, so <c>searchrerank … &gt; results.txt</c> keeps only results. <c>--quiet</c> and <c>--verbose</c> are
/// recursive options of the root command and mean the same on every command.
/// </summary>
internal sealed class CliOutput
{
    public static Option<bool> QuietOption { get; } = new("--quiet")
    {
        Description = "Print results, warnings and errors only (no progress, no informational lines)",
        Recursive = true,
    };

    public static Option<bool> VerboseOption { get; } = new("--verbose")
    {
        Description = "Also print notes: defaults taken from the model folder, execution provider, truncated pairs, timings",
        Recursive = true,
    };

    private readonly TerminalKind terminal;

    public CliOutput(TerminalKind terminal, Verbosity verbosity)
    {
        this.terminal = terminal;
        Verbosity = verbosity;
    }

    public Verbosity Verbosity { get; }

    public bool IsVerbose => Verbosity == Verbosity.Verbose;

    /// <summary>The output settings of one invocation; <c>--quiet</c> with <c>--verbose</c> is an error.</summary>
    public static CliOutput From(ParseResult parseResult)
    {
        var quiet = parseResult.GetValue(QuietOption);
        var verbose = parseResult.GetValue(VerboseOption);
        if (quiet && verbose)
            throw new ArgumentException("--quiet and --verbose exclude each other");
        return new CliOutput(TerminalKind.Detect(), quiet ? Verbosity.Quiet : verbose ? Verbosity.Verbose : Verbosity.Normal);
    }

    /// <summary>An informational line on standard output (not with <c>--quiet</c>).</summary>
    public void Info(string line)
    {
        if (Verbosity != Verbosity.Quiet)
            AnsiConsole.WriteLine(line);
    }

    /// <summary>A note on standard error, only with <c>--verbose</c>.</summary>
    public void Note(string line)
    {
        if (IsVerbose)
            Console.Error.WriteLine($"note: {line}");
    }

    /// <summary>A warning on standard error, whatever the verbosity.</summary>
    public static void Warning(string line) => Console.Error.WriteLine($"warning: {line}");

    /// <summary>
    /// A progress line for one task (see <see cref="ProgressLine"/>); with <c>--quiet</c> it writes nothing.
    /// <paramref name="unit"/> names what is counted ("documents"), <paramref name="rateUnit"/> its rate ("docs/s").
    /// </summary>
    public ProgressLine Progress(string label, string unit, string rateUnit) =>
        new(Verbosity == Verbosity.Quiet ? TextWriter.Null : Console.Error, terminal.LiveProgress, label, unit, rateUnit, ProgressLine.PlainInterval);
}
