using static TorchSharp.torch;

namespace SearchRerank.Train.Stages;

/// <summary>A micro-batch's scalar loss (with its graph) and how many pairs (or sequences) it trained on.</summary>
internal sealed record MicroBatchLoss(Tensor Loss, int Pairs);
