using System.Diagnostics;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// deploy/fault-test.py in its smoke mode: a primary, two read replicas and Debian's HAProxy on loopback (a free block
/// of ports), under client load through the balancer: a replica killed with SIGKILL costs no client request, the
/// restarted one catches up; a rolling model update costs none; a primary killed mid-import leaves the replicas
/// serving whole revisions (CheckIndex clean) and the resumed import converges. The script stops every process it
/// started; it needs haproxy (scripts/setup.sh installs it as root) and says so when it is missing.
/// </summary>
public sealed class ClusterFaultTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Replicas_behind_HAProxy_survive_kill_9_of_a_replica_and_of_the_primary_mid_import()
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SharedPaths.RepoRoot };
        foreach (var arg in new[] { Path.Combine(SharedPaths.RepoRoot, "deploy", "fault-test.py"), "--smoke", "--work", temp.Path })
            start.ArgumentList.Add(arg);
        start.Environment["SEARCHRERANK_DLL"] = typeof(CommandAction).Assembly.Location;
        using var process = Process.Start(start)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        using (var bound = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("fault-test.py --smoke did not finish in 3 minutes");
            }
        }
        var (stdout, stderr) = (await stdoutTask, await stderrTask);
        Assert.True(process.ExitCode != 2, $"haproxy is missing: {stderr}");
        Assert.True(process.ExitCode == 0, stdout + stderr);
        var rows = stdout.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| fault", StringComparison.Ordinal)
                                                && !l.StartsWith("| ---", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Contains("all checks passed", stdout);
    }
}
