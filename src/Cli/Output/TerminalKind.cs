using Spectre.Console;

namespace SearchRerank.Cli.Output;

/// <summary>
/// What the console is attached to, decided once per process: a person at a terminal gets colour and a live progress
/// line; a pipe, a file, <c>NO_COLOR</c> (no-color.org) or <c>TERM=dumb</c> get plain text — no escape codes, no
/// wrapping at 80 columns, progress as a line every few seconds — so logs and <c>grep</c> see what a person reads.
/// </summary>
internal sealed record TerminalKind(bool ColourOut, bool LiveProgress)
{
    /// <summary>Spectre's width for redirected output; tables and long lines must not wrap in a log.</summary>
    public const int PlainWidth = 4096;

    public static TerminalKind Detect()
    {
        var plain = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 }
                    || string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        return new TerminalKind(!plain && !Console.IsOutputRedirected, !plain && !Console.IsErrorRedirected);
    }

    /// <summary>A Spectre console for standard output that follows this kind (replaces <see cref="AnsiConsole.Console"/>).</summary>
    public IAnsiConsole CreateStandardOutput()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ColourOut ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ColourOut ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = ColourOut ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (Console.IsOutputRedirected)
            console.Profile.Width = PlainWidth;
        return console;
    }
}
