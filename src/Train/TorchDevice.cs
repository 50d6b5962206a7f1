// SearchRerank — where the training engine runs.
namespace SearchRerank.Train.Native;

/// <summary>Device of a <see cref="TorchModel"/>. Auto picks CUDA when libtorch sees a GPU, else the CPU.</summary>
public enum TorchDevice
{
    Cpu,
    Cuda,
    Auto,
}
