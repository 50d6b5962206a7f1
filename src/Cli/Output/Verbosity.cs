namespace SearchRerank.Cli.Output;

/// <summary>How much a command prints besides its results: <c>--quiet</c>, default, <c>--verbose</c> (every command).</summary>
internal enum Verbosity
{
    /// <summary>Results, warnings and errors only: no progress, no informational lines.</summary>
    Quiet,

    /// <summary>Results, a summary line per step, progress.</summary>
    Normal,

    /// <summary>Also notes: defaults taken from a model folder, execution provider, truncations, timings.</summary>
    Verbose,
}
