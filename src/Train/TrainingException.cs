using SearchRerank.Core;

namespace SearchRerank.Train;

/// <summary>A training run that cannot go on: bad data, a non-finite loss, a resume that does not fit the recipe.</summary>
public sealed class TrainingException : SearchRerankException
{
    public TrainingException(string message) : base(message) { }

    public TrainingException(string message, Exception inner) : base(message, inner) { }
}
