using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Rerank;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank fuse --run FIRST --ce-run CE (--alpha A | --model DIR) [--depth K] --out FILE</c>: fuses a first-stage
/// run with a cross-encoder run (<c>rerank --no-fusion</c>) of its top K, α·z(first) + (1 − α)·z(CE) per query, without
/// scoring again; equal to <c>rerank</c>'s fused run at the same α. With --model, α comes from that folder's fusion.json.
/// </summary>
internal static class FuseCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "First-stage TREC run (e.g. BM25's)", Required = true };
        var ceRun = new Option<string>("--ce-run") { Description = "Cross-encoder TREC run of the same candidates (rerank --no-fusion)", Required = true };
        var alpha = new Option<double?>("--alpha") { Description = "Weight of the first stage in [0, 1] (0 = cross-encoder only); or give --model" };
        var model = new Option<string?>("--model") { Description = "Model folder whose fusion.json gives α; or give --alpha" };
        var depth = new Option<int>("--depth") { Description = "First-stage hits fused per query (as rerank --depth)", DefaultValueFactory = _ => 100 };
        var outFile = new Option<string>("--out") { Description = "TREC run file to write", Required = true };
        var command = new Command("fuse", "Fuse a first-stage run with a cross-encoder run of its top K (z-scores, weight α) into a new TREC run")
        {
            run, ceRun, alpha, model, depth, outFile,
        };
        CommandAction.Set(command, (parseResult, _) =>
        {
            var given = parseResult.GetValue(alpha);
            var folder = parseResult.GetValue(model);
            if ((given is null) == (folder is null))
                throw new ArgumentException("fuse needs exactly one of --alpha A and --model DIR (its fusion.json)");
            if (given is { } a && (!double.IsFinite(a) || a < 0 || a > 1))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--alpha must be in [0, 1], got {a}"));
            var k = parseResult.GetValue(depth);
            if (k < 1)
                throw new ArgumentException($"--depth must be at least 1, got {k}");
            var fusion = given is { } weight ? new ScoreFusion(weight)
                : ScoreFusion.FromModelDirectory(folder!) ?? throw new ArgumentException($"{Path.Combine(folder!, ScoreFusion.FileName)}: not found; the model records no fusion weight, give --alpha");

            var fused = RunFusion.Fuse(RunReader.Read(parseResult.GetValue(run)!), RunReader.Read(parseResult.GetValue(ceRun)!), fusion, k);
            var outPath = parseResult.GetValue(outFile)!;
            RunWriter.Write(fused, outPath, fusion.ToString());
            CliOutput.From(parseResult).Info(string.Create(CultureInfo.InvariantCulture,
                $"fused {fused.QueryIds.Count:N0} queries, top {k} each, {fusion}; wrote {outPath}"));
            return 0;
        });
        return command;
    }
}
