using System.CommandLine;
using System.Globalization;
using SearchRerank.Cli.Output;
using SearchRerank.Rerank;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Onnx;

namespace SearchRerank.Cli.Commands;

/// <summary>
/// <c>searchrerank model init</c>: a random-weight model directory (config.json, tokenizer files,
/// model.safetensors, model.onnx) from a config file or size options; <c>searchrerank model export</c>:
/// (re)writes a directory's model.onnx from its config.json and model.safetensors; <c>searchrerank model quantize</c>:
/// a new model directory whose model.onnx has int8 weights, for faster CPU re-ranking; <c>searchrerank model inspect</c>:
/// what a (brought) model folder is and whether it loads.
/// </summary>
public static class ModelCommand
{
    public static Command Create() => new("model", "Create random-weight models, export weights to ONNX, quantize ONNX models, inspect a model folder")
    {
        CreateInit(),
        CreateExport(),
        CreateQuantize(),
        CreateInspect(),
    };

    private static Command CreateInspect()
    {
        var model = new Option<string>("--model") { Description = "Model directory (config.json, tokenizer.json or vocab.txt, model.onnx or onnx/model.onnx)", Required = true };
        var command = new Command("inspect", "Say what a model folder is (tokenizer family, template, inputs, labels, max length) and whether it loads; exit 1 with the reason when it does not")
        {
            model,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var inspection = ModelInspection.Inspect(parseResult.GetValue(model)!);
            foreach (var (field, value) in inspection.Facts)
                Console.WriteLine($"{field}: {value}");
            Console.WriteLine(inspection.Loads ? "loads: yes" : "loads: no");
            if (inspection.Problem is { } problem)
                throw new InvalidDataException(problem);
            return 0;
        });
        return command;
    }

    private static Command CreateInit()
    {
        var config = new Option<string?>("--config") { Description = "Hugging Face config.json to start from (size options override its fields)" };
        var layers = new Option<int?>("--layers") { Description = "num_hidden_layers (default 12 without --config)" };
        var hidden = new Option<int?>("--hidden") { Description = "hidden_size (default 768 without --config)" };
        var heads = new Option<int?>("--heads") { Description = "num_attention_heads (default 12 without --config)" };
        var intermediate = new Option<int?>("--intermediate") { Description = "intermediate_size (default 4 × hidden without --config)" };
        var maxPositions = new Option<int?>("--max-positions") { Description = "max_position_embeddings (default 512 without --config)" };
        var vocab = new Option<string>("--vocab") { Description = "vocab.txt (a tokenizer_config.json beside it is copied too) or a directory with the tokenizer files", Required = true };
        var output = new Option<string>("--out") { Description = "Model directory to write (created when missing)", Required = true };
        var exactMatch = new Option<bool>("--exact-match") { Description = "Add the exact-match embedding and the exact_match_ids input" };
        var seed = new Option<int>("--seed") { Description = "Seed of the weight initialisation", DefaultValueFactory = _ => 42 };

        var command = new Command("init", "Create a model directory with random (Hugging Face BERT-style) weights and its model.onnx")
        {
            config, layers, hidden, heads, intermediate, maxPositions, vocab, output, exactMatch, seed,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            string? configPath = parseResult.GetValue(config);
            var start = configPath is null ? new BertConfig() : BertConfig.Read(configPath);
            int hiddenSize = parseResult.GetValue(hidden) ?? start.HiddenSize;
            var chosen = start with
            {
                NumHiddenLayers = parseResult.GetValue(layers) ?? start.NumHiddenLayers,
                HiddenSize = hiddenSize,
                NumAttentionHeads = parseResult.GetValue(heads) ?? start.NumAttentionHeads,
                IntermediateSize = parseResult.GetValue(intermediate) ?? (configPath is null ? 4 * hiddenSize : start.IntermediateSize),
                MaxPositionEmbeddings = parseResult.GetValue(maxPositions) ?? start.MaxPositionEmbeddings,
                ExactMatch = start.ExactMatch || parseResult.GetValue(exactMatch),
            };
            string directory = parseResult.GetValue(output)!;
            var written = RandomModel.Create(directory, chosen, parseResult.GetValue(vocab)!, parseResult.GetValue(seed), configPath ?? "--layers/--hidden/--heads options");
            long parameters = BertParameters.Expected(written).Sum(p => NamedTensor.ElementCountOf(p.Shape));
            CliOutput.From(parseResult).Info(string.Create(CultureInfo.InvariantCulture,
                $"wrote {directory}: {written.NumHiddenLayers} layers, hidden {written.HiddenSize}, {written.NumAttentionHeads} heads, "
                + $"intermediate {written.IntermediateSize}, vocab {written.VocabSize}, exact_match {(written.ExactMatch ? "on" : "off")}, "
                + $"{parameters:N0} parameters, seed {parseResult.GetValue(seed)}"));
            return 0;
        });
        return command;
    }

    private static Command CreateExport()
    {
        var model = new Option<string>("--model") { Description = "Model directory with config.json and model.safetensors", Required = true };
        var command = new Command("export", $"(Re)write model.onnx (opset {BertOnnxExporter.Opset}) from config.json and model.safetensors") { model };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            string path = BertOnnxExporter.ExportDirectory(parseResult.GetValue(model)!);
            CliOutput.From(parseResult).Info(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({new FileInfo(path).Length / 1048576.0:F1} MiB)"));
            return 0;
        });
        return command;
    }

    private static Command CreateQuantize()
    {
        var model = new Option<string>("--model") { Description = "Model directory with config.json, the tokenizer files and model.onnx (or onnx/model.onnx)", Required = true };
        var output = new Option<string>("--out") { Description = "New model directory to write (must not exist or be empty)", Required = true };
        var reduceRange = new Option<bool>("--reduce-range") { Description = "7-bit weights: avoids int16 saturation on CPUs without AVX512-VNNI/AVX-VNNI, at some precision cost (default: on where this CPU lacks VNNI; --reduce-range false forces full range)" };
        var command = new Command("quantize", "Write a copy of a model whose MatMul weights are int8 (dynamic quantization, ONNX Runtime's DynamicQuantizeMatMul); scores drift slightly")
        {
            model, output, reduceRange,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            string target = parseResult.GetValue(output)!;
            var options = parseResult.GetResult(reduceRange) is { Implicit: false }
                ? new DynamicQuantizationOptions { ReduceRange = parseResult.GetValue(reduceRange) }
                : new DynamicQuantizationOptions();
            var summary = SearchRerank.Train.ModelFolder.Quantize(parseResult.GetValue(model)!, target, options);
            CliOutput.From(parseResult).Info(string.Create(CultureInfo.InvariantCulture,
                $"wrote {Path.Combine(target, BertOnnxExporter.OnnxFile)}: {summary.QuantizedMatMuls} MatMul nodes int8 ({summary.FoldedBiases} with their bias folded in, "
                + $"{summary.SkippedMatMuls} left float; weights in ±{options.WeightLimit}), {summary.SourceBytes / 1048576.0:F1} → {summary.TargetBytes / 1048576.0:F1} MiB"));
            return 0;
        });
        return command;
    }
}
