using System.CommandLine;
using System.Text.RegularExpressions;

namespace SearchRerank.Cli;

/// <summary>
/// What the command line got wrong, as <c>error:</c> lines: an unknown option with the nearest spelling the command
/// knows, a missing required option, a value of the wrong type. Replaces System.CommandLine's default, which lists
/// loose suggestions for every stray token and then prints the whole help text, burying the one line that matters.
/// </summary>
internal static partial class UsageErrors
{
    public static IReadOnlyList<string> Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var lines = new List<string>();
        var unmatched = parsed.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        foreach (var token in parsed.UnmatchedTokens)
        {
            if (!token.StartsWith('-'))
            {
                var nearestCommand = command.Subcommands.Count > 0 ? Nearest(token, command.Subcommands.Select(c => c.Name)) : null;
                lines.Add(command.Subcommands.Count == 0 ? $"unexpected argument '{token}'"
                    : nearestCommand is null ? $"unknown command '{token}'" : $"unknown command '{token}' (did you mean {nearestCommand}?)");
                continue;
            }
            var suggestion = Nearest(token, OptionNames(command));
            lines.Add(suggestion is null ? $"unknown option '{token}'" : $"unknown option '{token}' (did you mean {suggestion}?)");
        }
        foreach (var error in parsed.Errors)
        {
            // Unmatched tokens are already described above, with a better suggestion; a mistyped command is not also "missing".
            if (UnrecognizedToken().Match(error.Message) is { Success: true } m && unmatched.Contains(m.Groups[1].Value))
                continue;
            if (unmatched.Count > 0 && command.Subcommands.Count > 0 && error.Message.StartsWith("Required command", StringComparison.Ordinal))
                continue;
            lines.Add(Friendly(error.Message));
        }
        return lines;
    }

    /// <summary>The command's path as typed, e.g. <c>searchrerank search</c>, for the "see --help" hint.</summary>
    public static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command is RootCommand ? "searchrerank" : result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static IEnumerable<string> OptionNames(Command command)
    {
        foreach (var option in command.Options)
        {
            yield return option.Name;
            foreach (var alias in option.Aliases)
                yield return alias;
        }
    }

    /// <summary>The closest name by edit distance, when close enough to be a typo (at most a third of its length).</summary>
    private static string? Nearest(string token, IEnumerable<string> names)
    {
        var spelled = token.Split('=', 2)[0];
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var distance = EditDistance(spelled, name);
            if (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(name, best) < 0))
                (best, bestDistance) = (name, distance);
        }
        return best is not null && bestDistance <= Math.Max(1, best.Length / 3) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>System.CommandLine names CLR types ("System.Nullable`1[System.Int32]"); a user wants "an integer".</summary>
    private static string Friendly(string message) => ClrType().Replace(message.TrimEnd('.'), match => match.Groups[1].Value switch
    {
        "Int32" or "Int64" => "as an integer",
        "Double" or "Single" => "as a number",
        "Boolean" => "as true or false",
        var other => $"as {other}",
    });

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'\.?$")]
    private static partial Regex UnrecognizedToken();

    [GeneratedRegex(@"(?:as )?expected type '(?:System\.Nullable`1\[)?System\.(\w+)\]?'")]
    private static partial Regex ClrType();
}
