using SearchRerank.Core;
namespace SearchRerank.Eval.Experiments;

/// <summary>
/// Anything that turns queries into a ranked run: BM25 with some parameters, BM25 followed by a cross-encoder, …
/// The experiment runner only needs this, so new systems plug in without touching it.
/// Implementations own their resources (indexes, models) and should dispose them themselves.
/// </summary>
public interface IRetrievalSystem
{
    /// <summary>Short unique label: the run's name, its file name and its row in reports (letters, digits, '.', '_', '-').</summary>
    string Name { get; }

    /// <summary>The parameters that produced the run, e.g. <c>BM25(k1=0.9,b=0.4) top-1000</c>.</summary>
    string Description { get; }

    /// <summary>Retrieves a ranked list for every query; reports the number of queries done so far.</summary>
    Run Retrieve(IReadOnlyList<Topic> queries, IProgress<int>? progress, CancellationToken cancellationToken);
}
