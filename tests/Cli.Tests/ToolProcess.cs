using System.Diagnostics;
using System.Text;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// The console tool running in a child process that a test can interrupt as a user or a service manager would:
/// with SIGINT (Ctrl-C), SIGTERM or SIGKILL. The child starts through <c>env --default-signal</c>, because a process
/// inherits ignored signals and a test runner started in the background ignores SIGINT.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly IReadOnlyList<string> args;

    public ToolProcess(string workingDirectory, params string[] args)
    {
        this.args = args;
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in (string[])["--default-signal=INT,TERM", "dotnet", typeof(CommandAction).Assembly.Location, .. args])
            start.ArgumentList.Add(arg);
        start.Environment.Remove("COLUMNS");
        process = Process.Start(start)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>What the process wrote to standard output so far.</summary>
    public string StdoutSoFar
    {
        get
        {
            lock (stdout)
                return stdout.ToString();
        }
    }

    /// <summary>What the process wrote to standard error so far.</summary>
    public string StderrSoFar
    {
        get
        {
            lock (stderr)
                return stderr.ToString();
        }
    }

    /// <summary>Waits until <paramref name="ready"/> holds, polling every 20 ms; false when the process ended or the time ran out first.</summary>
    public bool WaitUntil(Func<bool> ready, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            if (ready())
                return true;
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM, KILL) with kill(1).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the process to end (at most <paramref name="timeout"/>, then it is killed and the test fails).</summary>
    public CliResult Wait(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"searchrerank {string.Join(' ', args)} did not end within {timeout.TotalSeconds:F0} s");
        }
        process.WaitForExit();
        lock (stdout)
            lock (stderr)
                return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString(), process.Id);
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
            return;
        lock (builder)
            builder.Append(line).Append('\n');
    }

    public void Dispose()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
