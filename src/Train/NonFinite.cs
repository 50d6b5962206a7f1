using SearchRerank.Train.Modeling;

namespace SearchRerank.Train;

/// <summary>NaN must never reach a saved file: a poisoned tensor stops the run before anything is written.</summary>
internal static class NonFinite
{
    public static void Require(IReadOnlyDictionary<string, NamedTensor> weights, string what)
    {
        foreach (var (name, tensor) in weights)
            foreach (float value in tensor.Data)
                if (!float.IsFinite(value))
                    throw new TrainingException($"{what}: parameter {name} holds a non-finite value ({value}); nothing was saved");
    }
}
