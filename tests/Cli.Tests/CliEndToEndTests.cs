using System.Text.Json;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// The console tool as users drive it: index → search → eval → rerank on a small collection, and the promise for bad
/// input (exit code ≠ 0, a message naming file and line, nothing from a failing batch committed).
/// </summary>
public sealed class CliEndToEndTests : IDisposable
{
    private const string Corpus = """
        {"_id": "d1", "title": "Aspirin and heart attacks", "text": "Daily aspirin lowers the risk of a first heart attack in older adults."}
        {"_id": "d2", "title": "Coffee", "text": "Coffee consumption is associated with lower mortality."}
        {"_id": "d3", "title": "Vitamin D", "text": "Vitamin D supplements do not prevent fractures in healthy adults."}
        {"_id": "d4", "title": "Sleep", "text": "Short sleep increases the risk of heart disease."}
        """;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string BuildIndex()
    {
        var corpus = temp.File("corpus.jsonl", Corpus);
        var index = temp.Combine("index");
        var result = CliRunner.Run(temp.Path, "index", "--corpus", corpus, "--index", index);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("4 added", result.Stdout);
        return index;
    }

    [Fact]
    public void DeleteRemovesDocumentsByIdAndOptimizeDropsThemFromTheStatistics()
    {
        var index = BuildIndex();
        var ids = temp.File("ids.tsv", "d2\tignored column\n\nnope\n");
        var deleted = CliRunner.Run(temp.Path, "delete", "--index", index, "--id", "d1", "--ids", ids);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains("deleted 2 of 3 ids (1 not in the index)", deleted.Stdout);
        Assert.Contains("2 documents left, 2 deleted ones", deleted.Stdout);
        var hits = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "aspirin coffee heart");
        Assert.DoesNotContain("d1", hits.Stdout);
        Assert.DoesNotContain("d2", hits.Stdout);
        Assert.Contains("d4", hits.Stdout);
        Assert.Equal(0, CliRunner.Run(temp.Path, "optimize", "--index", index).ExitCode);
        Assert.Matches(@"deleted documents\s+│\s+0\s", CliRunner.Run(temp.Path, "stats", "--index", index).Stdout);
    }

    [Fact]
    public void DeleteNeverCreatesAnIndexAndNeedsIds()
    {
        var missing = temp.Combine("no-such-index");
        var result = CliRunner.Run(temp.Path, "delete", "--index", missing, "--id", "d1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, result.Stderr);
        Assert.False(Directory.Exists(missing));
        var index = BuildIndex();
        var none = CliRunner.Run(temp.Path, "delete", "--index", index);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("--id", none.Stderr);
        Assert.Contains("ids file not found", CliRunner.Run(temp.Path, "delete", "--index", index, "--ids", temp.Combine("x.txt")).Stderr);
    }

    /// <summary>The index, two queries and their BM25 top-<paramref name="k"/> run: the input of the re-ranking tests.</summary>
    private (string Index, string Queries, string Run) BuildFirstStage(int k)
    {
        var index = BuildIndex();
        var queries = temp.File("queries.tsv", "q1\taspirin heart attack\nq2\tcoffee mortality\n");
        var run = temp.Combine("bm25.run");
        Assert.Equal(0, CliRunner.Run(temp.Path, "search", "--index", index, "--queries", queries, "-k", k.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", run).ExitCode);
        return (index, queries, run);
    }

    [Fact]
    public void Index_search_and_eval_round_trip()
    {
        var index = BuildIndex();
        var single = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "aspirin heart attack", "-k", "2");
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.Contains("d1", single.Stdout);

        var queries = temp.File("queries.tsv", "q1\taspirin heart attack\nq2\tcoffee mortality\nq3\tunjudged query about sleep\n");
        var qrels = temp.File("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t2\n");
        var run = temp.Combine("bm25.run");
        var batch = CliRunner.Run(temp.Path, "search", "--index", index, "--queries", queries, "--qrels", qrels, "-k", "10", "--out", run);
        Assert.True(batch.ExitCode == 0, batch.ToString());
        var lines = File.ReadAllLines(run);
        Assert.All(lines, line => Assert.Equal(6, line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.DoesNotContain(lines, line => line.StartsWith("q3 ", StringComparison.Ordinal));
        Assert.StartsWith("q1 Q0 d1 1 ", lines.First(line => line.StartsWith("q1 ", StringComparison.Ordinal)));

        var json = temp.Combine("eval.json");
        var eval = CliRunner.Run(temp.Path, "eval", "--qrels", qrels, "--run", run, "--metrics", "ndcg_cut_10,recip_rank_10", "--json", json);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var metrics = report.RootElement.GetProperty("runs").GetProperty("bm25.run").GetProperty("metrics");
        Assert.Equal(1.0, metrics.GetProperty("recip_rank_10").GetDouble(), 6);
        Assert.Equal(1.0, metrics.GetProperty("ndcg_cut_10").GetDouble(), 6);
    }

    [Fact]
    public void Malformed_json_line_fails_with_file_and_line_and_commits_nothing_from_that_batch()
    {
        var corpus = temp.File("bad.jsonl", Corpus + "\n{\"_id\": \"d5\", \"text\": \"unterminated\n");
        var index = temp.Combine("index");
        var result = CliRunner.Run(temp.Path, "index", "--corpus", corpus, "--index", index);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.jsonl:5:", result.Stderr);

        var stats = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "aspirin", "-k", "5");
        Assert.DoesNotContain("d1", stats.Stdout);
    }

    [Theory]
    [InlineData("corpus.xml", "<doc/>", "unknown corpus format")]
    [InlineData("nofield.jsonl", "{\"title\": \"no id\"}\n", "nofield.jsonl:1:")]
    [InlineData("cols.tsv", "d1\ta\tb\tc\n", "cols.tsv:1:")]
    public void Bad_corpus_files_are_named_in_the_error(string name, string contents, string expected)
    {
        var corpus = temp.File(name, contents);
        var result = CliRunner.Run(temp.Path, "index", "--corpus", corpus, "--index", temp.Combine("index"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_its_line()
    {
        var path = temp.Combine("latin1.jsonl");
        var good = System.Text.Encoding.UTF8.GetBytes("{\"_id\": \"a\", \"text\": \"fine\"}\n");
        byte[] bad = [.. System.Text.Encoding.ASCII.GetBytes("{\"_id\": \"b\", \"text\": \"caf"), 0xE9, .. System.Text.Encoding.ASCII.GetBytes("\"}\n")];
        File.WriteAllBytes(path, [.. good, .. bad]);
        var result = CliRunner.Run(temp.Path, "index", "--corpus", path, "--index", temp.Combine("index"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("latin1.jsonl:2:", result.Stderr);
        // The first batch never got in: no empty index is left behind.
        Assert.False(Directory.Exists(temp.Combine("index")));
    }

    [Fact]
    public void A_bad_line_in_a_later_batch_keeps_the_committed_batches_and_an_existing_index_stays()
    {
        // Batches of 2; the reader looks one document ahead, so line 4 stops the second batch, after the first's commit.
        var path = temp.File("corpus.jsonl", "{\"_id\": \"a\", \"text\": \"one\"}\n{\"_id\": \"b\", \"text\": \"two\"}\n{\"_id\": \"c\", \"text\": \"three\"}\n{\"_id\": \"d\", \"text\": oops}\n");
        var index = temp.Combine("index");
        var result = CliRunner.Run(temp.Path, "index", "--corpus", path, "--index", index, "--batch-size", "2");
        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"error: {path}:4: malformed JSON: 'o' is an invalid start of a value.", result.Stderr.Trim());
        Assert.Matches(@"documents\s+│\s+2\s", CliRunner.Run(temp.Path, "stats", "--index", index).Stdout);

        var empty = temp.Combine("empty");
        Assert.Equal(0, CliRunner.Run(temp.Path, "index", "--corpus", temp.File("none.jsonl", "\n"), "--index", empty).ExitCode);
        Assert.Equal(1, CliRunner.Run(temp.Path, "index", "--corpus", temp.File("bad.jsonl", "{oops\n"), "--index", empty).ExitCode);
        Assert.True(Directory.Exists(empty)); // it was an index before this run: not ours to delete
    }

    [Fact]
    public void Missing_corpus_file_is_an_error_and_creates_no_index_folder()
    {
        var result = CliRunner.Run(temp.Path, "index", "--corpus", temp.Combine("missing.jsonl"), "--index", temp.Combine("index"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {temp.Combine("missing.jsonl")}: corpus file not found", result.Stderr.Trim());
        Assert.False(Directory.Exists(temp.Combine("index")));
    }

    [Fact]
    public void Stats_optimize_and_pretokenize_report_what_the_index_holds()
    {
        var index = BuildIndex();
        var update = temp.File("update.tsv", "d2\tCoffee\tCoffee drinkers live longer.\n");
        Assert.Equal(0, CliRunner.Run(temp.Path, "index", "--corpus", update, "--index", index, "--no-optimize").ExitCode);
        var stats = CliRunner.Run(temp.Path, "stats", "--index", index, "--check");
        Assert.True(stats.ExitCode == 0, stats.ToString());
        var flat = System.Text.RegularExpressions.Regex.Replace(stats.Stdout, @"[\s│]+", " ");
        Assert.Contains("documents 4 ", flat);
        Assert.Contains("deleted documents 1 ", flat);
        Assert.Contains("1 deleted or replaced documents still count in the BM25 statistics", stats.Stdout);
        Assert.Contains("analyzer english", flat);
        Assert.Contains("k1=0.9 b=0.4", flat);
        Assert.Contains("CheckIndex: clean", stats.Stdout);

        var optimize = CliRunner.Run(temp.Path, "optimize", "--index", index);
        Assert.True(optimize.ExitCode == 0, optimize.ToString());
        Assert.Contains("1 → 0 deleted documents", optimize.Stdout);

        var pretokenize = CliRunner.Run(temp.Path, "pretokenize", "--index", index, "--model", CliRunner.SharedPath("reference", "tiny-bert-ce"));
        Assert.True(pretokenize.ExitCode == 0, pretokenize.ToString());
        Assert.Contains("tokenized 4 documents (0 already held ids of this tokenizer)", System.Text.RegularExpressions.Regex.Replace(pretokenize.Stdout, @"\s+", " "));
        Assert.Contains("4 of 4", CliRunner.Run(temp.Path, "stats", "--index", index).Stdout);
    }

    [Theory]
    [InlineData("-k 0 means nothing", "error: -k must be at least 1, got 0", "--query", "aspirin", "-k", "0")]
    [InlineData("a Lucene syntax error is one line", "error: query syntax: Cannot parse '(aspirin OR': ", "--query", "(aspirin OR", "--syntax", "lucene")]
    [InlineData("unknown similarity", "error: --similarity: expected bm25 or lmdirichlet, got 'tfidf'", "--query", "aspirin", "--similarity", "tfidf")]
    public void Bad_search_arguments_fail_with_one_error_line(string why, string expected, params string[] args)
    {
        var index = BuildIndex();
        var result = CliRunner.Run(temp.Path, ["search", "--index", index, .. args]);
        Assert.True(result.ExitCode == 1, why + ": " + result);
        Assert.StartsWith(expected, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Queries_without_searchable_terms_say_so_and_lmdirichlet_is_selectable()
    {
        var index = BuildIndex();
        var stopwords = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "the of and");
        Assert.True(stopwords.ExitCode == 0, stopwords.ToString());
        Assert.Contains("no results: the query has no searchable terms after analysis", stopwords.Stdout);
        var nothing = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "zebra");
        Assert.Contains("no results: no document matches the query", nothing.Stdout);
        var lm = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "coffee", "--similarity", "lmdirichlet", "--mu", "100");
        Assert.True(lm.ExitCode == 0, lm.ToString());
        Assert.Contains("LM Dirichlet", lm.Stdout);
        var explain = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "aspirin heart", "--explain", "d1");
        Assert.Contains("weight(contents:aspirin", explain.Stdout);
    }

    [Fact]
    public void An_old_sqlite_index_or_a_folder_of_other_files_is_named_with_how_to_rebuild()
    {
        var old = Directory.CreateDirectory(temp.Combine("old")).FullName;
        File.WriteAllText(Path.Combine(old, "index.sqlite"), "SQLite format 3");
        var search = CliRunner.Run(temp.Path, "search", "--index", old, "--query", "aspirin");
        Assert.Equal(1, search.ExitCode);
        Assert.StartsWith($"error: {old} holds an index in the old SQLite format", search.Stderr);
        Assert.Contains("searchrerank index --corpus FILE --index", search.Stderr);
        var other = Directory.CreateDirectory(temp.Combine("other")).FullName;
        File.WriteAllText(Path.Combine(other, "notes.txt"), "x");
        var stats = CliRunner.Run(temp.Path, "stats", "--index", other);
        Assert.Equal(1, stats.ExitCode);
        Assert.StartsWith($"error: {other} is not an index", stats.Stderr);
    }

    [Fact]
    public void Eval_of_a_run_that_matches_no_qrels_query_is_an_error()
    {
        var qrels = temp.File("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        var run = temp.File("other.run", "x9 Q0 d1 1 3.0 t\n");
        var result = CliRunner.Run(temp.Path, "eval", "--qrels", qrels, "--run", run);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("other.run", result.Stderr);
    }

    [Fact]
    public void Malformed_run_line_is_named()
    {
        var qrels = temp.File("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        var run = temp.File("short.run", "q1 Q0 d1 1 3.0 t\nq1 Q0 d2 2\n");
        var result = CliRunner.Run(temp.Path, "eval", "--qrels", qrels, "--run", run);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("short.run:2:", result.Stderr);
    }

    [Fact]
    public void Rerank_with_the_reference_model_writes_raw_logits_for_the_same_documents()
    {
        var (index, queries, firstStage) = BuildFirstStage(3);

        var reranked = temp.Combine("ce.run");
        var model = CliRunner.SharedPath("reference", "tiny-bert-ce");
        var result = CliRunner.Run(temp.Path, "rerank", "--run", firstStage, "--queries", queries, "--index", index,
            "--model", model, "--out", reranked, "--depth", "3");
        Assert.True(result.ExitCode == 0, result.ToString());
        static HashSet<string> Pairs(string path) =>
            File.ReadLines(path).Select(l => l.Split(' ')).Select(c => c[0] + "/" + c[2]).ToHashSet();
        Assert.Equal(Pairs(firstStage), Pairs(reranked));
        // The reference model's logits on SciFact-like pairs lie well within ±10 and are not BM25 scores.
        var scores = File.ReadLines(reranked).Select(l => double.Parse(l.Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(scores, s => Assert.InRange(s, -10.0, 10.0));
    }

    [Fact]
    public void Fuse_of_a_cross_encoder_run_equals_reranks_fused_run_and_names_what_is_missing()
    {
        var (index, queries, firstStage) = BuildFirstStage(4);
        var model = CliRunner.SharedPath("reference", "tiny-bert-ce");
        string[] Rerank(string output, params string[] extra) =>
            ["rerank", "--run", firstStage, "--queries", queries, "--index", index, "--model", model, "--depth", "4", "--out", temp.Combine(output), .. extra];
        Assert.Equal(0, CliRunner.Run(temp.Path, Rerank("ce.run", "--no-fusion")).ExitCode);
        Assert.Equal(0, CliRunner.Run(temp.Path, Rerank("fused.run", "--fusion-alpha", "0.3")).ExitCode);

        var fuse = CliRunner.Run(temp.Path, "fuse", "--run", firstStage, "--ce-run", temp.Combine("ce.run"), "--alpha", "0.3", "--depth", "4", "--out", temp.Combine("offline.run"));
        Assert.True(fuse.ExitCode == 0, fuse.ToString());
        Assert.Contains("fused 2 queries, top 4 each", fuse.Stdout);
        static string[] Ranked(string path) => File.ReadLines(path).Select(l => l.Split(' ')).Select(c => $"{c[0]} {c[2]} {c[3]} {c[4]}").ToArray();
        Assert.Equal(Ranked(temp.Combine("fused.run")), Ranked(temp.Combine("offline.run")));

        var partial = temp.File("partial.run", string.Join('\n', File.ReadLines(temp.Combine("ce.run")).Skip(1)) + "\n");
        var missing = CliRunner.Run(temp.Path, "fuse", "--run", firstStage, "--ce-run", partial, "--alpha", "0.3", "--depth", "4", "--out", temp.Combine("bad.run"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("partial.run: query 'q1' has no score for document", missing.Stderr);
        Assert.False(File.Exists(temp.Combine("bad.run")));

        var neither = CliRunner.Run(temp.Path, "fuse", "--run", firstStage, "--ce-run", partial, "--out", temp.Combine("bad.run"));
        Assert.Equal(1, neither.ExitCode);
        Assert.Contains("exactly one of --alpha A and --model DIR", neither.Stderr);
        var noWeight = CliRunner.Run(temp.Path, "fuse", "--run", firstStage, "--ce-run", partial, "--model", model, "--out", temp.Combine("bad.run"));
        Assert.Equal(1, noWeight.ExitCode);
        Assert.Contains("fusion.json: not found", noWeight.Stderr);
    }

    [Fact]
    public void Rerank_fuses_at_the_recorded_alpha_on_the_training_collection_and_at_the_off_domain_alpha_elsewhere()
    {
        var (index, queries, firstStage) = BuildFirstStage(4);
        var model = temp.Combine("model");
        Directory.CreateDirectory(Path.Combine(model, "onnx"));
        var reference = CliRunner.SharedPath("reference", "tiny-bert-ce");
        foreach (var file in new[] { "config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "onnx/model.onnx" })
            File.Copy(Path.Combine(reference, file), Path.Combine(model, file));
        SearchRerank.Search.CollectionFingerprint here;
        using (var searcher = SearchRerank.Search.Searcher.Open(index))
            here = SearchRerank.Search.CollectionFingerprint.Of(searcher);
        string[] Rerank(string output, params string[] extra) =>
            ["rerank", "--run", firstStage, "--queries", queries, "--index", index, "--model", model, "--depth", "4", "--out", temp.Combine(output), .. extra];
        void Trained(string fingerprint) => File.WriteAllText(Path.Combine(model, "fusion.json"),
            $$$"""{"alpha": 0.3, "normalization": "zscore", "collection": {"documents": {{{here.Documents}}}, "fingerprint": "{{{fingerprint}}}"}}""");

        Trained(here.Hash);
        var inDomain = CliRunner.Run(temp.Path, Rerank("in.run", "--verbose"));
        Assert.True(inDomain.ExitCode == 0, inDomain.ToString());
        Assert.Contains("fusion zfusion(alpha=0.3), as", inDomain.Stdout + inDomain.Stderr);
        Assert.Contains("records for this collection", inDomain.Stdout + inDomain.Stderr);

        Trained("0000000000000000");
        var offDomain = CliRunner.Run(temp.Path, Rerank("off.run", "--verbose"));
        Assert.True(offDomain.ExitCode == 0, offDomain.ToString());
        Assert.Contains("fusion zfusion(alpha=0.7), the weight measured safe off-domain, not the in-domain alpha 0.3", offDomain.Stdout + offDomain.Stderr);
        Assert.Equal(0, CliRunner.Run(temp.Path, Rerank("at0.7.run", "--fusion-alpha", "0.7")).ExitCode);
        static string[] Ranked(string path) => File.ReadLines(path).Select(l => l.Split(' ')).Select(c => $"{c[0]} {c[2]} {c[3]} {c[4]}").ToArray();
        Assert.Equal(Ranked(temp.Combine("at0.7.run")), Ranked(temp.Combine("off.run")));
    }

    [Fact]
    public void Quantized_model_reranks_and_an_occupied_output_folder_is_refused()
    {
        var (index, queries, firstStage) = BuildFirstStage(4);

        var int8 = temp.Combine("int8");
        var quantize = CliRunner.Run(temp.Path, "model", "quantize", "--model", CliRunner.SharedPath("reference", "tiny-bert-ce"), "--out", int8);
        Assert.True(quantize.ExitCode == 0, quantize.ToString());
        Assert.Contains("12 MatMul nodes int8", quantize.Stdout);
        Assert.Contains(SearchRerank.Train.Onnx.Int8Saturation.OnThisCpu ? "weights in ±63" : "weights in ±127", quantize.Stdout);

        var reranked = temp.Combine("int8.run");
        var rerank = CliRunner.Run(temp.Path, "rerank", "--run", firstStage, "--queries", queries, "--index", index,
            "--model", int8, "--out", reranked, "--depth", "4");
        Assert.True(rerank.ExitCode == 0, rerank.ToString());
        Assert.Equal(File.ReadLines(firstStage).Count(), File.ReadLines(reranked).Count());

        var again = CliRunner.Run(temp.Path, "model", "quantize", "--model", CliRunner.SharedPath("reference", "tiny-bert-ce"), "--out", int8);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Stderr);
    }

    [Fact]
    public void Training_on_cuda_without_a_gpu_falls_back_with_one_warning_and_strict_mode_fails()
    {
        // The CPU build of libtorch sees no GPU, so "cuda" must degrade to the CPU and "cuda!" must refuse.
        var index = BuildIndex();
        var queries = temp.File("queries.tsv", "q1\taspirin heart attack\nq2\tcoffee mortality\nq3\tvitamin d fractures\n");
        var qrels = temp.File("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td3\t1\n");
        temp.File("config.json", """
            { "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 32, "max_position_embeddings": 64 }
            """);
        var vocab = CliRunner.SharedPath("reference", "tiny-bert-ce", "vocab.txt").Replace("\\", "/");
        var recipe = temp.File("recipe.json", $$"""
            { "seed": 1, "model": { "config": "config.json", "tokenizer": "{{vocab}}" }, "validation_queries": 0,
              "stages": [ { "name": "c", "objective": "lce", "steps": 2, "batch": 1, "group_size": 2, "depth": 4, "max_length": 32 } ] }
            """);
        string[] Train(string device, string output) =>
            ["train", "--recipe", recipe, "--index", index, "--queries", queries, "--qrels", qrels, "--out", temp.Combine(output), "--threads", "1", "--device", device];

        var fallback = CliRunner.Run(temp.Path, Train("cuda", "cuda-model"));
        Assert.True(fallback.ExitCode == 0, fallback.ToString());
        Assert.Single(fallback.Stderr.Split('\n'), line => line.Contains("no CUDA device") && line.Contains("CPU"));
        Assert.Contains("device cpu", System.Text.RegularExpressions.Regex.Replace(fallback.Stdout, @"\s+", " ")); // Spectre wraps at 80 columns off a TTY
        Assert.True(File.Exists(temp.Combine("cuda-model", "model.onnx")));

        var strict = CliRunner.Run(temp.Path, Train("cuda!", "strict-model"));
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("CUDA", strict.Stderr);
        Assert.False(File.Exists(temp.Combine("strict-model", "model.onnx")));

        var unknown = CliRunner.Run(temp.Path, Train("tpu", "tpu-model"));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("--device", unknown.Stderr);
    }

    [Fact]
    public void Rerank_with_a_missing_model_names_the_folder_and_writes_nothing()
    {
        var index = BuildIndex();
        var queries = temp.File("queries.tsv", "q1\taspirin\n");
        var run = temp.File("bm25.run", "q1 Q0 d1 1 3.0 t\n");
        var outPath = temp.Combine("out.run");
        var result = CliRunner.Run(temp.Path, "rerank", "--run", run, "--queries", queries, "--index", index,
            "--model", temp.Combine("no-such-model"), "--out", outPath);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-model", result.Stderr);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void Cuda_device_falls_back_to_cpu_with_one_warning_and_strict_mode_fails()
    {
        var index = BuildIndex();
        var model = CliRunner.SharedPath("reference", "tiny-bert-ce");
        var lenient = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "aspirin", "-k", "3", "--rerank", "--model", model, "--device", "cuda");
        Assert.True(lenient.ExitCode == 0, lenient.ToString());
        // One warning naming what did not load (a CUDA library, or the provider itself in a CPU-only build) and the CPU.
        var warning = Assert.Single(lenient.Stderr.Split('\n'), line => line.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Matches(@"^warning: CUDA execution provider unavailable \((lib\S+\.so\S*: |this ONNX Runtime library has no CUDA).*\); running on the CPU \(CPUExecutionProvider\)$", warning.TrimEnd());
        var strict = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "aspirin", "-k", "3", "--rerank", "--model", model, "--device", "cuda!");
        Assert.Equal(1, strict.ExitCode);
        Assert.StartsWith("error: device cuda! requested but the CUDA execution provider is unavailable: ", strict.Stderr);
        var auto = CliRunner.Run(temp.Path, "search", "--index", index, "--query", "aspirin", "-k", "3", "--rerank", "--model", model, "--device", "auto");
        Assert.True(auto.ExitCode == 0, auto.ToString());
        Assert.DoesNotContain("warning", auto.Stderr);
    }

    [Fact]
    public void Search_rerank_of_a_100_kb_query_succeeds_and_leaves_no_file_behind()
    {
        // ONNX Runtime 1.30.0 builds crashed the process ("Internal CLR error") on a command line of 30 KB or more while
        // creating their environment, and left /tmp/mat-debug-<pid>.log behind; 1.30 and 1.31 also write $TMPDIR/.ses and
        // a telemetry database under ~/.cache/Microsoft/DeveloperTools unless ORT_DISABLE_TELEMETRY is set.
        var index = BuildIndex();
        var model = CliRunner.SharedPath("reference", "tiny-bert-ce");
        var query = string.Join(' ', Enumerable.Repeat("does daily aspirin lower the risk of a first heart attack", 2000))[..100_000];
        var tmp = temp.Combine("tmp");
        var home = temp.Combine("home");
        Directory.CreateDirectory(tmp);
        Directory.CreateDirectory(home);
        var result = CliRunner.Run(temp.Path, new Dictionary<string, string> { ["TMPDIR"] = tmp, ["HOME"] = home },
            "search", "--index", index, "--query", query, "-k", "3", "--rerank", "--model", model, "--verbose");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("d1", result.Stdout);
        Assert.Contains("runs on CPUExecutionProvider", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        Assert.False(Directory.Exists(Path.Combine(home, ".cache", "Microsoft")), "ONNX Runtime's telemetry database was written");
        var pid = new System.Text.RegularExpressions.Regex($@"(^|\D){result.ProcessId}(\D|$)");
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries("/tmp"), entry => pid.IsMatch(Path.GetFileName(entry)));
    }

    [Fact]
    public void Experiment_compares_bm25_with_a_rerank_system_and_writes_every_report()
    {
        var index = BuildIndex();
        var queries = temp.File("queries.tsv", "q1\taspirin heart attack\nq2\tcoffee mortality\n");
        var qrels = temp.File("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
        var model = CliRunner.SharedPath("reference", "tiny-bert-ce");
        var outDir = temp.Combine("exp");
        var result = CliRunner.Run(temp.Path, "experiment", "--index", index, "--queries", queries, "--qrels", qrels, "--out", outDir,
            "--system", "bm25=bm25", "--system", $"ce=rerank:model={model},depth=3,alpha=none");
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var file in new[] { "report.md", "report.html", "metrics.json", Path.Combine("runs", "bm25.trec"), Path.Combine("runs", "ce.trec") })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        Assert.All(File.ReadLines(Path.Combine(outDir, "runs", "ce.trec")), line => Assert.Equal("ce", line.Split(' ')[5]));

        var typo = CliRunner.Run(temp.Path, "experiment", "--index", index, "--queries", queries, "--qrels", qrels, "--out", temp.Combine("exp2"),
            "--system", $"ce=rerank:model={model},detph=3");
        Assert.Equal(1, typo.ExitCode);
        Assert.Contains("detph", typo.Stderr);
    }

    [Fact]
    public void Unknown_command_exits_non_zero()
    {
        var result = CliRunner.Run(temp.Path, "frobnicate");
        Assert.NotEqual(0, result.ExitCode);
    }
}
