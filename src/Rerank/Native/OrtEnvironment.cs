// SearchRerank — MIT licence.
namespace SearchRerank.Rerank.Native;

/// <summary>
/// The process-wide OrtEnv. ORT keeps one environment per process anyway (a second CreateEnv returns the same one), and
/// every session must be released before it, so it lives as long as the process: sessions are disposed by their owners,
/// the environment is never released explicitly.
/// </summary>
internal static class OrtEnvironment
{
    private static readonly Lazy<OrtEnvHandle> Shared =
        new(() => OrtNative.CreateEnv(OrtLoggingLevel.Warning, "searchrerank"), LazyThreadSafetyMode.ExecutionAndPublication);

    internal static OrtEnvHandle Handle => Shared.Value;
}
