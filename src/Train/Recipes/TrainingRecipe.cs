namespace SearchRerank.Train.Recipes;

/// <summary>
/// A staged fine-tuning recipe (ECIR 2025 "Exploring the Effectiveness of Multi-stage Fine-tuning for Cross-encoder
/// Re-rankers"): a seed, a starting model, validation settings and stages run in order (C, D, C→D, D→C, weak→C …).
/// Read with <see cref="RecipeReader"/>, which validates every field.
/// </summary>
/// <param name="CheckpointInterval">Optimizer steps between checkpoints (validations and stage ends always checkpoint).</param>
public sealed record TrainingRecipe(string Path, long Seed, ModelSpec Model, ValidationSpec Validation, int CheckpointInterval, IReadOnlyList<StageSpec> Stages);
