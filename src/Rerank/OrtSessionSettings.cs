// SearchRerank — MIT licence.
namespace SearchRerank.Rerank;

/// <summary>How an <see cref="OrtSession"/> is created.</summary>
/// <param name="IntraOpThreads">Threads inside one operator (GEMMs); 0 lets ORT use one per physical core.</param>
/// <param name="InterOpThreads">Threads across independent operators; BERT graphs are a chain, so 1 is enough.</param>
/// <param name="OptimizationLevel">ORT graph optimisation level: 0 none, 1 basic, 2 extended, 99 all (default).</param>
/// <param name="Device">Execution provider preference.</param>
public sealed record OrtSessionSettings(int IntraOpThreads = 0, int InterOpThreads = 1, int OptimizationLevel = 99,
    ExecutionDevice Device = ExecutionDevice.Cpu)
{
    public override string ToString() =>
        $"ORT(intra={IntraOpThreads},inter={InterOpThreads},opt={OptimizationLevel},device={Device})";
}
