using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Core;
using SearchRerank.Train;
using SearchRerank.Train.Recipes;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank train --recipe FILE --index DIR --queries FILE --qrels FILE [--teacher RUN] --out DIR [--resume]</c>:
/// runs a staged fine-tuning recipe and writes a model folder that the re-ranker loads (with fusion.json).
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var recipe = new Option<string>("--recipe") { Description = "Recipe JSON (seed, model, stages; see recipes/)", Required = true };
        var index = new Option<string>("--index") { Description = "Index folder: first stage for negatives and validation", Required = true };
        var queries = new Option<string?>("--queries") { Description = "Training queries (BEIR queries.jsonl or TSV); leave out with --qrels for a label-free recipe (mlm/weak stages, validation_queries 0)" };
        var qrels = new Option<string?>("--qrels") { Description = "Training qrels (BEIR TSV or TREC); without them the model's fusion α is the unvalidated default 0.7" };
        var teacher = new Option<string?>("--teacher") { Description = "Teacher TREC run for distillation stages (ranknet, listkl, marginmse)" };
        var output = new Option<string>("--out") { Description = "Output model folder (also holds checkpoints and train_log.jsonl)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the last checkpoint in --out" };
        var seed = new Option<long?>("--seed") { Description = "Overrides the recipe's seed (weights, sampling, validation split), e.g. to repeat a run over several seeds" };
        var device = new Option<string>("--device")
        {
            Description = "cpu, cuda (CPU fallback with a warning when libtorch sees no GPU), cuda! (fail without one) or auto (GPU when there is one)",
            DefaultValueFactory = _ => "cpu",
        };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (0: one per core; OpenMP waits passively unless OMP_WAIT_POLICY is set, so a busy machine does not stall it)", DefaultValueFactory = _ => 0 };

        var command = new Command("train", "Fine-tune a cross-encoder with a staged recipe (contrastive, distillation, weak supervision)")
        {
            recipe, index, queries, qrels, teacher, output, resume, seed, device, threads,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var parsed = RecipeReader.Read(parseResult.GetValue(recipe)!);
            if (parseResult.GetValue(seed) is { } overridden)
                parsed = parsed with { Seed = overridden };
            var torchDevice = ResolveDevice(parseResult.GetValue(device)!);
            var inputs = new TrainingInputs(
                parseResult.GetValue(index)!, parseResult.GetValue(queries), parseResult.GetValue(qrels),
                parseResult.GetValue(teacher), parseResult.GetValue(output)!, parseResult.GetValue(resume), parseResult.GetValue(threads), torchDevice);
            var console = CliOutput.From(parseResult);
            console.Info($"recipe {parsed.Path}, seed {parsed.Seed}, device {torchDevice.ToString().ToLowerInvariant()}");
            foreach (var stage in parsed.Stages)
                console.Info($"  stage {stage}");

            TrainingOutcome outcome;
            try
            {
                using var progress = new TrainingProgressLines(console);
                outcome = Trainer.Run(parsed, inputs, progress, cancellationToken);
            }
            catch (StoppedException ex)
            {
                throw new StoppedException($"{ex.Kept}; run the same command with --resume to continue", ex);
            }

            console.Info($"model written to {outcome.ModelDirectory} after {outcome.TotalSteps} optimizer steps");
            if (outcome.Fusion is { } fusion)
            {
                console.Info(string.Create(CultureInfo.InvariantCulture,
                    $"validation nDCG@10: first stage {fusion.FirstStageNdcg:F4}, cross-encoder {fusion.ModelNdcg:F4}, fused {fusion.Ndcg:F4} (α = {fusion.Alpha:F2})"));
            }
            return 0;
        });
        return command;
    }

    /// <summary>The CLI's device spelling, as for re-ranking: <c>cuda</c> degrades to the CPU with one warning, <c>cuda!</c> does not.</summary>
    private static TorchDevice ResolveDevice(string value)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "cpu":
                return TorchDevice.Cpu;
            case "auto":
                return TorchRuntime.CudaAvailable ? TorchDevice.Cuda : TorchDevice.Cpu;
            case "cuda!":
                return TorchDevice.Cuda;
            case "cuda":
                if (TorchRuntime.CudaAvailable)
                    return TorchDevice.Cuda;
                CliOutput.Warning("--device cuda: libtorch sees no CUDA device (CPU build of libtorch, or no GPU); training on the CPU (use cuda! to fail instead)");
                return TorchDevice.Cpu;
            default:
                throw new ArgumentException($"--device: expected cpu, cuda, cuda! or auto, got '{value}'");
        }
    }
}
