// Index a BEIR collection, train a small cross-encoder on its training queries, search and re-rank its test queries,
// and compare BM25 with BM25 + cross-encoder by trec_eval's measures. Usage:
//   IndexSearchRerankEval <collection folder: corpus.jsonl, queries.jsonl, qrels/{train,test}.tsv> <work folder> <recipe.json>
// (recipe.json beside this file: its paths are relative to its own folder).
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Metrics;
using SearchRerank.Rerank;
using SearchRerank.Search;
using SearchRerank.Search.Index;
using SearchRerank.Train;
using SearchRerank.Train.Recipes;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: IndexSearchRerankEval <collection folder> <work folder> <recipe.json>");
    return 2;
}
var (collection, work, recipePath) = (args[0], args[1], args[2]);
var (index, model) = (Path.Combine(work, "index"), Path.Combine(work, "model"));

try
{
    // 1. Index (an interrupted or repeated import resumes after its last commit).
    using (var indexer = Indexer.Open(index))
    {
        var summary = indexer.Import(Path.Combine(collection, "corpus.jsonl"));
        Console.WriteLine($"indexed: {summary.Added} added, {summary.Updated} updated in {summary.Elapsed.TotalSeconds:F1} s");
    }

    // 2. Train a cross-encoder on the training queries, negatives mined from the same index.
    if (!File.Exists(Path.Combine(model, "model.onnx")))
    {
        var outcome = Trainer.Run(RecipeReader.Read(recipePath),
            new TrainingInputs(index, Path.Combine(collection, "queries.jsonl"), Path.Combine(collection, "qrels", "train.tsv"), null, model));
        Console.WriteLine($"trained: {outcome.TotalSteps} steps, validation nDCG@10 {outcome.ValidationNdcg:F4}, fusion alpha {outcome.Fusion?.Alpha:0.##}");
    }

    // 3. Search and re-rank the test queries.
    var qrels = QrelsReader.Read(Path.Combine(collection, "qrels", "test.tsv"));
    var queries = QueriesReader.Read(Path.Combine(collection, "queries.jsonl")).Where(q => qrels.Contains(q.Id)).ToList();
    using var searcher = Searcher.Open(index);
    using var encoder = CrossEncoder.Load(model);
    var pipeline = new RerankPipeline(searcher, encoder, ScoreFusion.FromModelDirectory(model), firstStageDepth: 30);
    var bm25 = new Run("BM25");
    foreach (var query in queries)
        foreach (var hit in searcher.Search(query.Text, 10))
            bm25.Add(query.Id, hit.DocId, hit.Score);
    var reranked = pipeline.SearchAll(queries, k: 10).Renamed("BM25+CE");
    var example = pipeline.Search(queries[0].Text, k: 1)[0];
    Console.WriteLine($"query {queries[0].Id} \"{queries[0].Text}\": first after re-ranking {example.DocId} \"{example.Title}\"");

    // 4. Evaluate both runs on the same judgments.
    var evaluator = new Evaluator(MetricParser.ParseList("ndcg_cut_10,recip_rank_10"));
    Console.WriteLine($"{"run",-8} {"ndcg_cut_10",11} {"recip_rank_10",13}   ({queries.Count} test queries)");
    foreach (var run in new[] { bm25, reranked })
    {
        var result = evaluator.Evaluate(run, qrels);
        Console.WriteLine($"{run.Name,-8} {result.Mean("ndcg_cut_10"),11:F4} {result.Mean("recip_rank_10"),13:F4}");
    }
    return 0;
}
catch (SearchRerankException ex)
{
    // Every error the libraries raise on purpose; the message names the file, line or field.
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
