using System.Diagnostics;

namespace SearchRerank.Cli.Tests;

/// <summary>Runs the real console tool in a child process, as a user would, and captures what it prints.</summary>
internal static class CliRunner
{
    private static readonly string ToolPath = typeof(CommandAction).Assembly.Location;

    public static CliResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);

    /// <summary>Runs the tool with <paramref name="environment"/> added to the child's environment.</summary>
    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunWithInput(workingDirectory, "", environment, args);

    /// <summary>Runs a command that may take longer than the usual 2 minutes (still bounded by <paramref name="limit"/>).</summary>
    public static CliResult RunFor(TimeSpan limit, string workingDirectory, params string[] args) => RunWithInput(workingDirectory, "", null, limit, args);

    /// <summary>Runs the tool with <paramref name="input"/> on its standard input (then closed).</summary>
    public static CliResult RunWithInput(string workingDirectory, string input, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunWithInput(workingDirectory, input, environment, TimeSpan.FromMinutes(2), args);

    private static CliResult RunWithInput(string workingDirectory, string input, IReadOnlyDictionary<string, string>? environment, TimeSpan limit, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Exactly what a user's pipe gets: no terminal, no hints about its width.
        start.Environment.Remove("COLUMNS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Written while the outputs are drained, so a large input cannot block on a full output pipe.
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"searchrerank {string.Join(' ', args)} did not finish in {limit.TotalMinutes:0.#} minutes");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result, process.Id);
    }

    public static string SharedPath(params string[] parts) => SearchRerank.Tests.SharedPaths.Shared(parts);
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr, int ProcessId)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
