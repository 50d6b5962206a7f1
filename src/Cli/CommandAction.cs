using System.CommandLine;

namespace SearchRerank.Cli;

/// <summary>
/// The single place where a command's failure becomes a message and an exit code, so every command
/// reports bad input the same way: one line on stderr naming the file/line/field, exit code 1. A malformed command line
/// gets the same treatment (see <see cref="UsageErrors"/>) instead of the whole help text.
/// Ctrl+C cancels the token handed to the action and exits with 130.
/// </summary>
public static class CommandAction
{
    public const int Failure = 1;
    public const int Cancelled = 130;

    /// <summary>Attaches <paramref name="action"/> to <paramref name="command"/> behind the shared error funnel.</summary>
    public static void Set(Command command, Func<ParseResult, CancellationToken, int> action)
    {
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(parseResult, cancellationToken, action)));
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
        return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    private static int Run(ParseResult parseResult, CancellationToken cancellationToken, Func<ParseResult, CancellationToken, int> action)
    {
        try
        {
            return action(parseResult, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return Cancelled;
        }
        catch (Exception ex) when (Environment.GetEnvironmentVariable("SEARCHRERANK_TRACE") != "1")
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
        return ex.Message;
    }
}
