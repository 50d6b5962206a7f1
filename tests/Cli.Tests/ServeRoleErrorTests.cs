namespace SearchRerank.Cli.Tests;

/// <summary>A primary or replica started wrongly ends at once with one error line naming what is wrong, and exit code 1.</summary>
public sealed class ServeRoleErrorTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("--replica-of", "not a url", "--replica-of: expected the primary's base URL, e.g. http://127.0.0.1:8091, got 'not a url'")]
    [InlineData("--replica-of", "ftp://host/", "--replica-of: expected the primary's base URL")]
    [InlineData("--replica-of", "http://127.0.0.1:8091/?x=1", "--replica-of: expected the primary's base URL")]
    [InlineData("--poll-interval", "0", "--poll-interval: expected seconds in (0, 3600], got 0")]
    public void A_replica_with_a_bad_option_names_it(string option, string value, string message)
    {
        var args = option == "--replica-of"
            ? new[] { "serve", "--no-model", "--index", $"t={temp.Combine("r")}", option, value }
            : ["serve", "--no-model", "--index", $"t={temp.Combine("r")}", "--replica-of", "http://127.0.0.1:1/", option, value];
        var result = CliRunner.Run(temp.Path, args);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: {message}", result.Stderr);
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Publish_needs_an_index_and_excludes_replica_of()
    {
        var missing = CliRunner.Run(temp.Path, "serve", "--no-model", "--publish", "--index", $"t={temp.Combine("none")}");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith($"error: no index in {temp.Combine("none")}: the folder does not exist", missing.Stderr);
        var both = CliRunner.Run(temp.Path, "serve", "--no-model", "--publish", "--replica-of", "http://127.0.0.1:1/", "--index", $"t={temp.Combine("none")}");
        Assert.Equal(1, both.ExitCode);
        Assert.StartsWith("error: --publish and --replica-of exclude each other", both.Stderr);
    }
}
