namespace SearchRerank.Core;

/// <summary>
/// The base of every error the SearchRerank libraries throw on purpose: bad input data (<see cref="DataFormatException"/>),
/// an index that cannot be used (SearchRerank.Search's <c>SearchException</c>), a model that cannot be loaded or a
/// re-ranking that is misconfigured (SearchRerank.Rerank's <c>RerankException</c>), a training run that cannot go on
/// (SearchRerank.Train's <c>TrainingException</c>). The message names the file, line or field at fault, so an
/// application can show it as is. Argument checks (null, out of range) stay the framework's <see cref="ArgumentException"/>s.
/// </summary>
public class SearchRerankException : Exception
{
    public SearchRerankException(string message) : base(message) { }

    public SearchRerankException(string message, Exception inner) : base(message, inner) { }
}
