namespace SearchRerank.Core;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler synchronously, unlike <see cref="Progress{T}"/> which posts to a
/// synchronization context and may deliver after the work has finished.
/// </summary>
public sealed class DirectProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
