using System.Diagnostics;
using SearchRerank.Tests;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// The GPU kit's chunk, manifest, checksum and reassembly path (bench/gpu-kit, issue #34) on a tiny payload, through
/// its own Python tests: a session lent a GPU must not spend its minutes on a kit that cannot reassemble.
/// </summary>
public class GpuKitTests
{
    [Fact]
    public async Task Chunks_gather_verify_and_unpack_and_a_bad_chunk_is_named()
    {
        var start = new ProcessStartInfo("python3")
        {
            WorkingDirectory = SharedPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(SharedPaths.RepoRoot, "bench", "gpu-kit", "test_kit.py"));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("bench/gpu-kit/test_kit.py did not finish in 1 minute");
        }
        Assert.True(process.ExitCode == 0, $"bench/gpu-kit/test_kit.py exit {process.ExitCode}\n{await stdout}\n{await stderr}");
    }
}
