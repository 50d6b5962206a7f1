using System.Text;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Eval.Metrics;

namespace SearchRerank.Eval.Tests.Metrics;

/// <summary>
/// Random runs and qrels (ties, graded and negative grades, unjudged documents, missing queries) scored by the
/// library and by a deliberately naive transcription of trec_eval's rules written here from scratch: sort with
/// trec_eval's comparator on float scores and UTF-8 bytes, then apply each definition literally.
/// </summary>
public class RandomizedReferenceTests
{
    [Fact]
    public void EvaluatorAgreesWithNaiveTrecEvalRules()
    {
        var random = new Random(20240601);
        for (var trial = 0; trial < 40; trial++)
        {
            var threshold = random.Next(0, 3);
            var judgments = new List<(string, string, int)>();
            var run = new Run("r");
            var lines = new List<(string Query, string Doc, double Score)>();
            for (var q = 0; q < 8; q++)
            {
                for (var d = 0; d < 25; d++)
                {
                    var doc = $"D{random.Next(0, 40)}";
                    if (random.NextDouble() < 0.4 && !judgments.Any(j => j.Item1 == $"q{q}" && j.Item2 == doc))
                        judgments.Add(($"q{q}", doc, random.Next(-1, 4)));
                    // Queries q6 and q7 are never answered; scores collide often to exercise the tie-break.
                    if (q < 6 && !lines.Any(l => l.Query == $"q{q}" && l.Doc == doc))
                        lines.Add(($"q{q}", doc, random.Next(0, 6) + (random.NextDouble() < 0.1 ? 1e-9 : 0)));
                }
            }
            if (judgments.Count == 0 || lines.Count == 0)
                continue;
            foreach (var (query, doc, score) in lines)
                run.Add(query, doc, score);
            var qrels = new Qrels(judgments);
            if (!run.QueryIds.Any(qrels.Contains))
                continue;

            var metrics = MetricParser.ParseList("ndcg_cut_5,ndcg_cut_30,recip_rank,recip_rank_3,map,map_cut_5,P_5,P_30,recall_5,judged_10");
            var result = new Evaluator(metrics, threshold).Evaluate(run, qrels);
            for (var i = 0; i < result.QueryIds.Count; i++)
            {
                var qid = result.QueryIds[i];
                var ranked = lines.Where(l => l.Query == qid).ToList();
                ranked.Sort(TrecEvalComparator);
                var grades = qrels.Judgments(qid);
                int? Grade(int rank) => grades.TryGetValue(ranked[rank].Doc, out var g) && g >= 0 ? g : null;
                bool Relevant(int rank) => Grade(rank) is { } g && g >= threshold;
                var relevantTotal = grades.Values.Count(g => g >= 0 && g >= threshold);

                foreach (var k in new[] { 5, 30 })
                {
                    var dcg = 0.0;
                    for (var r = 0; r < Math.Min(k, ranked.Count); r++)
                        dcg += Math.Max(0, Grade(r) ?? 0) / Math.Log(r + 2, 2);
                    var ideal = grades.Values.Where(g => g > 0).OrderDescending().Take(k).Select((g, r) => g / Math.Log(r + 2, 2)).Sum();
                    Assert.Equal(ideal > 0 ? dcg / ideal : 0, result.PerQuery($"ndcg_cut_{k}")[i], 12);

                    var hits = Enumerable.Range(0, Math.Min(k, ranked.Count)).Count(Relevant);
                    Assert.Equal((double)hits / k, result.PerQuery($"P_{k}")[i], 12);
                }
                var first = Enumerable.Range(0, ranked.Count).Where(Relevant).Select(r => r + 1).DefaultIfEmpty(0).First();
                Assert.Equal(first == 0 ? 0 : 1.0 / first, result.PerQuery("recip_rank")[i], 12);
                Assert.Equal(first is > 0 and <= 3 ? 1.0 / first : 0, result.PerQuery("recip_rank_3")[i], 12);

                double Ap(int depth)
                {
                    var found = 0;
                    var sum = 0.0;
                    for (var r = 0; r < Math.Min(depth, ranked.Count); r++)
                    {
                        if (Relevant(r))
                            sum += (double)++found / (r + 1);
                    }
                    return relevantTotal == 0 ? 0 : sum / relevantTotal;
                }
                Assert.Equal(Ap(int.MaxValue), result.PerQuery("map")[i], 12);
                Assert.Equal(Ap(5), result.PerQuery("map_cut_5")[i], 12);
                var recalled = Enumerable.Range(0, Math.Min(5, ranked.Count)).Count(Relevant);
                Assert.Equal(relevantTotal == 0 ? 0 : (double)recalled / relevantTotal, result.PerQuery("recall_5")[i], 12);
                Assert.Equal(Enumerable.Range(0, Math.Min(10, ranked.Count)).Count(r => Grade(r) is not null) / 10.0, result.PerQuery("judged_10")[i], 12);
            }
        }
    }

    private static int TrecEvalComparator((string Query, string Doc, double Score) x, (string Query, string Doc, double Score) y)
    {
        float a = (float)x.Score, b = (float)y.Score;
        if (a > b)
            return -1;
        if (a < b)
            return 1;
        var left = Encoding.UTF8.GetBytes(y.Doc);
        var right = Encoding.UTF8.GetBytes(x.Doc);
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            if (left[i] != right[i])
                return left[i].CompareTo(right[i]);
        }
        return left.Length.CompareTo(right.Length);
    }
}
