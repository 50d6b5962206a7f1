using System.Diagnostics;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// bench/serve-load.py in its smoke mode (a few requests per level, the reference model) so the benchmark cannot rot:
/// it starts the service on loopback, loads it, compares with the offline command, stops the service, and prints its
/// table with no failed request.
/// </summary>
public sealed class ServeLoadSmokeTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task The_load_benchmark_runs_end_to_end_in_smoke_mode()
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SharedPaths.RepoRoot };
        foreach (var arg in new[] { Path.Combine(SharedPaths.RepoRoot, "bench", "serve-load.py"), "--smoke", "--model", CliRunner.SharedPath("reference", "tiny-bert-ce"), "--work", temp.Path })
            start.ArgumentList.Add(arg);
        start.Environment["SEARCHRERANK_DLL"] = typeof(CommandAction).Assembly.Location;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "serve-load.py --smoke did not finish in 3 minutes");
        Assert.True(process.ExitCode == 0, stdout + await stderr);
        var rows = stdout.Split('\n').Where(l => l.StartsWith("| search", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.All(rows, row => Assert.Matches(@"\| \d+ \(\d+ / 0 / 0\) \|", row));
        Assert.Contains("offline `rerank` on 8 queries × top 100", stdout);
    }
}
