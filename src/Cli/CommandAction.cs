using System.CommandLine;
using SearchRerank.Core;

namespace SearchRerank.Cli;

/// <summary>
/// The single place where a command's failure becomes a message and an exit code, so every command
/// reports bad input the same way: one line on stderr naming the file/line/field, exit code 1. A malformed command line
/// gets the same treatment (see <see cref="UsageErrors"/>) instead of the whole help text.
/// Every message is one line, shortened when an input it quotes is long; no stack trace reaches the user
/// (<c>SEARCHRERANK_TRACE=1</c> lets exceptions through for debugging).
/// SIGINT and SIGTERM cancel the token handed to the action (<see cref="StopSignals"/>): the command stops at a safe
/// point, prints one line saying what it kept, and exits with 130 (SIGINT) or 143 (SIGTERM).
/// </summary>
internal static class CommandAction
{
    public const int Failure = 1;

    /// <summary>Longest message printed; a longer one is cut and ends in an ellipsis.</summary>
    public const int MaxMessageLength = 600;

    private static StopSignals? signals;

    private static bool Tracing => Environment.GetEnvironmentVariable("SEARCHRERANK_TRACE") == "1";

    /// <summary>Attaches <paramref name="action"/> to <paramref name="command"/> behind the shared error funnel.</summary>
    public static void Set(Command command, Func<ParseResult, CancellationToken, int> action)
    {
        command.SetAction((parseResult, cancellationToken) =>
            Task.FromResult(Run(parseResult, signals?.Token ?? cancellationToken, action)));
    }

    public static int Invoke(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var line in UsageErrors.Describe(parsed))
                Console.Error.WriteLine($"error: {line}");
            Console.Error.WriteLine($"see '{UsageErrors.CommandPath(parsed)} --help'");
            return Failure;
        }
        // A failure on a thread of its own (a library's background worker) would otherwise print a stack trace.
        if (!Tracing)
        {
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                Console.Error.WriteLine($"error: {Describe((Exception)e.ExceptionObject)}");
                Environment.Exit(Failure);
            };
        }
        using (signals = new StopSignals())
        {
            // System.CommandLine's own signal handling would end the process after a timeout; StopSignals waits for the safe point.
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
    }

    private static int Run(ParseResult parseResult, CancellationToken cancellationToken, Func<ParseResult, CancellationToken, int> action)
    {
        try
        {
            return action(parseResult, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            var kept = ex is StoppedException stopped ? stopped.Kept : "nothing half-written was left";
            Console.Error.WriteLine(OneLine($"stopped by {signals?.Name ?? "cancellation"}: {kept}"));
            return signals?.ExitCode ?? 130;
        }
        catch (Exception ex) when (!Tracing)
        {
            Console.Error.WriteLine($"error: {Describe(ex)}");
            return Failure;
        }
    }

    private static string Describe(Exception ex)
    {
        // Wrapper exceptions (TypeInitialization, Aggregate) hide the message the user needs.
        while (ex is AggregateException { InnerException: not null } or TypeInitializationException { InnerException: not null })
            ex = ex.InnerException!;
        var message = ex.Message;
        // .NET appends " (Parameter 'name')" and "Actual value was …" on lines of their own; the text before says it all.
        if (ex is ArgumentException { ParamName: { } name })
            message = message.Split('\n')[0].Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        return OneLine(message);
    }

    /// <summary>The message on one line, at most <see cref="MaxMessageLength"/> characters.</summary>
    internal static string OneLine(string message)
    {
        var line = string.Join(' ', message.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return TextPreview.Shorten(line, MaxMessageLength);
    }
}
