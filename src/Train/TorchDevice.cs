namespace SearchRerank.Train;

/// <summary>Where training runs. <see cref="Auto"/> picks CUDA when libtorch sees a GPU, else the CPU (<see cref="TorchRuntime.Resolve"/>).</summary>
public enum TorchDevice
{
    Cpu,
    Cuda,
    Auto,
}
