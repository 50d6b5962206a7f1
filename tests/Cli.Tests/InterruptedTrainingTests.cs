using System.Text;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// The resume promise with real signals: <c>train</c> killed (SIGKILL) or stopped (SIGINT, SIGTERM: a checkpoint of the
/// step in hand, exit 130 / 143 and one line naming it) mid-stage, then run again with <c>--resume</c>, ends with
/// byte-identical weights, the same fusion choice and the same step losses as an uninterrupted run with the same
/// seed and thread count.
/// </summary>
public sealed class InterruptedTrainingTests : IDisposable
{
    private const int Steps = 300;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Training_killed_or_stopped_mid_stage_resumes_to_the_weights_of_an_uninterrupted_run()
    {
        var (index, queries, qrels, recipe) = WriteInputs();
        string[] Train(string output, bool resume) =>
            ["train", "--recipe", recipe, "--index", index, "--queries", queries, "--qrels", qrels, "--out", temp.Combine(output), "--threads", "1", .. (resume ? new[] { "--resume" } : [])];

        var straight = CliRunner.Run(temp.Path, Train("straight", resume: false));
        Assert.True(straight.ExitCode == 0, straight.ToString());

        foreach (var (signal, exitCode) in new[] { ("KILL", 137), ("INT", 130), ("TERM", 143) })
        {
            var output = signal.ToLowerInvariant();
            string log = temp.Combine(output, "train_log.jsonl");
            using (var training = new ToolProcess(temp.Path, Train(output, resume: false)))
            {
                // Interrupt once a checkpoint is on disk and the run has gone past it, well before the end.
                Assert.True(training.WaitUntil(() => File.Exists(temp.Combine(output, "checkpoints", "latest")) && StepLines(log) >= 25, TimeSpan.FromSeconds(90)),
                    "training finished before it could be interrupted; give the recipe more steps");
                training.Signal(signal);
                var stopped = training.Wait(TimeSpan.FromSeconds(60));
                Assert.True(stopped.ExitCode == exitCode, stopped.ToString());
                if (signal != "KILL")
                {
                    // Stopped, not killed: the checkpoint is of the last step taken, so the resumed run repeats none.
                    var steps = StepLines(log);
                    var line = stopped.Stderr.TrimEnd().Split('\n')[^1];
                    Assert.Equal($"stopped by SIG{signal}: stage 'c' stopped after step {steps} of {Steps}; the last checkpoint "
                                 + $"({File.ReadAllText(temp.Combine(output, "checkpoints", "latest")).Trim()}, stage 0 step {steps}) is intact; "
                                 + "run the same command with --resume to continue", line);
                }
            }
            Assert.InRange(StepLines(log), 25, Steps - 1);
            Assert.False(File.Exists(temp.Combine(output, "fusion.json")));

            var refused = CliRunner.Run(temp.Path, Train(output, resume: false));
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("--resume", refused.Stderr);

            var resumed = CliRunner.Run(temp.Path, Train(output, resume: true));
            Assert.True(resumed.ExitCode == 0, resumed.ToString());
            Assert.Equal(File.ReadAllBytes(temp.Combine("straight", "model.safetensors")), File.ReadAllBytes(temp.Combine(output, "model.safetensors")));
            Assert.Equal(File.ReadAllText(temp.Combine("straight", "fusion.json")), File.ReadAllText(temp.Combine(output, "fusion.json")));
            Assert.Equal(File.ReadAllLines(temp.Combine("straight", "train_log.jsonl")).Select(WithoutTiming), File.ReadAllLines(log).Select(WithoutTiming));
        }
    }

    private static int StepLines(string log)
    {
        try
        {
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.Contains("\"type\":\"step\"", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A log line without its throughput, the one field that depends on the clock.</summary>
    private static string WithoutTiming(string line) => System.Text.RegularExpressions.Regex.Replace(line, "\"pairs_per_s\":[^,}]*", "");

    private (string Index, string Queries, string Qrels, string Recipe) WriteInputs()
    {
        string[] words = ["protein", "cell", "gene", "virus", "cancer", "brain", "heart", "blood", "liver", "lung", "bone", "skin", "insulin", "tumor", "neuron", "enzyme"];
        var corpus = new StringBuilder();
        for (int i = 0; i < 60; i++)
            corpus.Append($"d{i}\t{words[i % 16]} {words[(i * 7 + 3) % 16]} study\t{string.Join(' ', Enumerable.Range(0, 12).Select(j => words[(i * 5 + j * j + 1) % 16]))}\n");
        var index = temp.Combine("index");
        var indexed = CliRunner.Run(temp.Path, "index", "--corpus", temp.File("corpus.tsv", corpus.ToString()), "--index", index);
        Assert.True(indexed.ExitCode == 0, indexed.ToString());
        var queries = new StringBuilder();
        var qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
        for (int q = 0; q < 16; q++)
        {
            queries.Append($"q{q}\t{words[(q * 3) % 16]} {words[(q * 15 + 3) % 16]}\n");
            qrels.Append($"q{q}\td{q * 3}\t1\n");
        }
        temp.File("config.json", """{ "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 64, "max_position_embeddings": 64 }""");
        var vocab = CliRunner.SharedPath("reference", "tiny-bert-ce", "vocab.txt").Replace("\\", "/");
        var recipe = temp.File("recipe.json", $$"""
            { "seed": 5, "model": { "config": "config.json", "tokenizer": "{{vocab}}", "exact_match": true },
              "validation_queries": 4, "validation_depth": 10, "checkpoint_interval": 10,
              "stages": [ { "name": "c", "objective": "lce", "steps": {{Steps}}, "batch": 2, "group_size": 4, "max_length": 48, "depth": 10,
                            "lr": 1e-3, "warmup": 10, "validation_interval": 100 } ] }
            """);
        return (index, temp.File("queries.tsv", queries.ToString()), temp.File("qrels.tsv", qrels.ToString()), recipe);
    }
}
