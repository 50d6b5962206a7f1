using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Cli.Regressions;
using SearchRerank.Eval.Regressions;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank regress FILE… [--entry NAME…] [--all] [--list] [--work DIR]</c>: reproduces the figures recorded in
/// regression files (regressions/*.json) and compares; exit 1 when any differs by more than its tolerance. Without
/// <c>--entry</c> or <c>--all</c> it runs the short entries (seconds each; the test suite runs them too).
/// </summary>
internal static class RegressCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Regression files, e.g. regressions/scifact.json", Arity = ArgumentArity.OneOrMore };
        var entries = new Option<string[]>("--entry") { Description = "Run only these entries (repeatable); default: the short ones", Arity = ArgumentArity.OneOrMore };
        var all = new Option<bool>("--all") { Description = "Run every entry, the long ones too (--list shows what each costs)" };
        var list = new Option<bool>("--list") { Description = "List the entries with what they cost, run nothing" };
        var work = new Option<string>("--work") { Description = "Folder for the indexes and trained models", DefaultValueFactory = _ => Path.Combine("index", "regressions") };

        var command = new Command("regress", "Reproduce the recorded figures of regression files and compare (exit 1 on a difference beyond tolerance)")
        {
            files, entries, all, list, work,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var console = CliOutput.From(parseResult);
            var regressions = parseResult.GetValue(files)!.Select(RegressionFile.Read).ToArray();
            var wanted = parseResult.GetValue(entries) ?? [];
            foreach (var name in wanted.Where(n => !regressions.Any(f => f.Entries.Any(e => e.Name == n))))
                throw new ArgumentException($"--entry {name}: no such entry in {string.Join(", ", regressions.Select(f => f.Path))} (--list shows them)");
            var runAll = parseResult.GetValue(all);
            var selected = regressions
                .Select(f => (File: f, Entries: f.Entries.Where(e => wanted.Length > 0 ? wanted.Contains(e.Name) : runAll || e.Short).ToArray()))
                .Where(f => f.Entries.Length > 0)
                .ToArray();

            if (parseResult.GetValue(list))
            {
                foreach (var file in regressions)
                    foreach (var entry in file.Entries)
                        Console.WriteLine($"{file.Collection}\t{entry.Name}\t{(entry.Short ? "short" : "long")}\t{entry.Cost}\t{entry.Description}");
                return 0;
            }
            if (selected.Length == 0)
                throw new ArgumentException("no entry selected: the files hold no short entry; name one with --entry or use --all");

            var runner = new RegressionRunner(console, parseResult.GetValue(work)!);
            var checks = new List<RegressionCheck>();
            foreach (var (file, selectedEntries) in selected)
                checks.AddRange(runner.Run(file, selectedEntries, cancellationToken));
            Print(checks);
            var failed = checks.Count(c => !c.Passed);
            console.Info($"{checks.Count - failed} of {checks.Count} figures reproduced within tolerance");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static void Print(IReadOnlyList<RegressionCheck> checks)
    {
        Console.WriteLine("| entry | metric | expected | measured | difference | tolerance | |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---|");
        foreach (var c in checks)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Entry} | {c.Metric} | {c.Expected:F4} | {c.Measured:F4} | {c.Difference:+0.0000;-0.0000;0.0000} | {c.Tolerance:F4} | {(c.Passed ? "ok" : "FAILED")} |"));
        }
    }
}
