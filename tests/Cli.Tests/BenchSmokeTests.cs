using System.Diagnostics;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// Every benchmark script in its smoke mode (tiny inputs, seconds, the same code path as a real run, its own output
/// checked by the script), so none can rot unnoticed (issue #29). Each runs against this build of the console tool
/// (<c>SEARCHRERANK_DLL</c>) and the solution's Release build of <c>bench/Bench</c>, in a scratch folder, bounded in
/// time; on timeout its whole process tree is killed. <c>bench/serve-load.py --smoke</c> and the GPU kit have their
/// own tests (<see cref="ServeLoadSmokeTests"/>, <see cref="GpuKitTests"/>).
/// </summary>
public sealed class BenchSmokeTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("bench/run-throughput.sh", "smoke: run-throughput ok")]
    [InlineData("bench/run-latency.sh", "smoke: run-latency ok")]
    [InlineData("scripts/bench-growth.sh", "smoke: bench-growth ok")]
    [InlineData("scripts/bench-jit-settings.sh", "smoke: bench-jit-settings ok")]
    [InlineData("scripts/eval-models.sh", "smoke: eval-models, seed-table, prior-split ok")]
    [InlineData("scripts/fault-table.py", "smoke: fault-table ok")]
    [InlineData("scripts/check-report.py", "1 chart(s), pixels:")]
    [InlineData("scripts/plot-learning-curves.py", "smoke: plot-learning-curves ok")]
    public async Task Runs_in_smoke_mode(string script, string expected)
    {
        string work = temp.Combine("work");
        Directory.CreateDirectory(work);
        var start = new ProcessStartInfo(script.EndsWith(".py", StringComparison.Ordinal) ? "python3" : "bash")
        {
            WorkingDirectory = SharedPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(SharedPaths.RepoRoot, script));
        // Shell scripts take SMOKE=1 and their scratch folder as WORK or as their first argument; Python ones --smoke.
        string[] args = script switch
        {
            "scripts/fault-table.py" => ["--smoke", "--out", work],
            _ when script.EndsWith(".py", StringComparison.Ordinal) => ["--smoke", work],
            "scripts/bench-growth.sh" or "scripts/bench-jit-settings.sh" => [],
            _ => [work],
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["SMOKE"] = "1";
        start.Environment["WORK"] = work;
        start.Environment["SEARCHRERANK_DLL"] = typeof(CommandAction).Assembly.Location;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{script} (smoke) did not finish in {Limit.TotalMinutes} minutes\n{await stdout}\n{await stderr}");
        }
        string output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{script} (smoke) exit {process.ExitCode}\n{output}");
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }
}
