namespace SearchRerank.Rerank.Tests;

/// <summary>
/// One loaded reference cross-encoder shared by a test class (loading takes ~100 ms; 2 ORT threads), at the 256 tokens
/// the reference scores were encoded at (the folder itself records 512).
/// </summary>
public sealed class ReferenceModelFixture : IDisposable
{
    public CrossEncoder Encoder { get; } = CrossEncoder.Load(TestPaths.ReferenceModel, new CrossEncoderOptions { Threads = 2, MaxLength = 256 });

    public void Dispose() => Encoder.Dispose();
}
