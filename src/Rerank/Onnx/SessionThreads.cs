namespace SearchRerank.Rerank.Onnx;

/// <summary>
/// How ONNX Runtime's threads run one session: <see cref="IntraOp"/> threads inside an operator (0: one per physical
/// core), and whether they spin-wait for the next operator instead of sleeping (<see cref="CrossEncoderOptions.SpinWait"/>).
/// </summary>
internal sealed record SessionThreads(int IntraOp, bool SpinWait);
