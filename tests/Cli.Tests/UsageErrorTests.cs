namespace SearchRerank.Cli.Tests;

/// <summary>A mistyped command line gets one error line per mistake, a suggestion when one is close, and exit code 1 — not the whole help text.</summary>
public sealed class UsageErrorTests
{
    [Fact]
    public void MistypedOptionSuggestsTheNearestOneAndPrintsNoHelp()
    {
        var result = CliRunner.Run(Environment.CurrentDirectory, "search", "--indx", "x", "--query", "q");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: unknown option '--indx' (did you mean --index?)", result.Stderr);
        Assert.Contains("see 'searchrerank search --help'", result.Stderr);
        Assert.DoesNotContain("Usage:", result.Stderr + result.Stdout);
        Assert.DoesNotContain("Did you mean one of the following", result.Stderr + result.Stdout);
    }

    [Fact]
    public void MistypedCommandSuggestsTheNearestCommand()
    {
        var result = CliRunner.Run(Environment.CurrentDirectory, "serch", "--index", "x");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: unknown command 'serch' (did you mean search?)", result.Stderr);
        Assert.DoesNotContain("Required command", result.Stderr);
    }

    [Fact]
    public void BadValueNamesTheOptionAndTheExpectedKind()
    {
        var result = CliRunner.Run(Environment.CurrentDirectory, "search", "--index", "x", "--query", "q", "-k", "ten");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: Cannot parse argument 'ten' for option '-k' as an integer", result.Stderr);
    }

    [Fact]
    public void FarFetchedTokenGetsNoSuggestion()
    {
        var result = CliRunner.Run(Environment.CurrentDirectory, "eval", "--qrels", "q.tsv", "--run", "r.run", "--completely-unrelated");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: unknown option '--completely-unrelated'\n", result.Stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void HelpStillWorks()
    {
        var result = CliRunner.Run(Environment.CurrentDirectory, "search", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
    }
}
