namespace SearchRerank.Train.Recipes;

/// <summary>
/// The starting model: either a fresh random model from a BERT config (<see cref="Config"/>, a config.json file or a
/// folder holding one) or an existing Hugging Face checkpoint folder (<see cref="Init"/>: config.json + model.safetensors).
/// The tokenizer comes from <see cref="Tokenizer"/> (a vocab.txt file or a tokenizer folder), else from the init folder.
/// </summary>
/// <param name="ExactMatch">Adds the exact-match input channel (overrides the config's own exact_match when not null).</param>
public sealed record ModelSpec(string? Config, string? Init, string Tokenizer, bool? ExactMatch);
