// SearchRerank — MIT licence.
// Cross-encoder throughput of transformers.js (onnxruntime-node, CPU) on the pairs file written by
// `searchrerank-bench pairs`, scored exactly as a transformers.js user would: tokenizer(queries, {text_pair}) with
// padding and truncation, then the sequence-classification model, batch by batch.
// Usage: node throughput.mjs --model DIR --pairs FILE [--threads 2] [--batch 32] [--max-length 256] [--repeat 3] [--sort 0|1]
//        [--dtype fp32|q8]   (q8 runs onnx/model_quantized.onnx, transformers.js' name for an int8 model)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, AutoModelForSequenceClassification, env } from '@huggingface/transformers';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, cur, i, all) => (i % 2 === 0 ? [...acc, [cur.replace(/^--/, ''), all[i + 1]]] : acc), []));
const modelDir = path.resolve(args.model);
const threads = Number(args.threads ?? 2);
const batchSize = Number(args.batch ?? 32);
const maxLength = Number(args['max-length'] ?? 256);
const repeat = Number(args.repeat ?? 3);
const sortByLength = args.sort === '1';
const dtype = args.dtype ?? 'fp32';

env.allowRemoteModels = false;
env.localModelPath = path.dirname(modelDir) + '/';
const modelId = path.basename(modelDir);
const tokenizer = await AutoTokenizer.from_pretrained(modelId);
const model = await AutoModelForSequenceClassification.from_pretrained(modelId, {
  dtype,
  device: 'cpu',
  session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
});

let pairs = readFileSync(args.pairs, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
if (sortByLength) {
  const lengths = new Map(pairs.map((p) => [p, tokenizer(p.query, { text_pair: p.document, truncation: true, max_length: maxLength }).input_ids.dims[1]]));
  pairs = [...pairs].sort((a, b) => lengths.get(a) - lengths.get(b));
}

async function scoreAll() {
  const scores = [];
  for (let i = 0; i < pairs.length; i += batchSize) {
    const batch = pairs.slice(i, i + batchSize);
    const inputs = tokenizer(batch.map((p) => p.query), {
      text_pair: batch.map((p) => p.document),
      padding: true,
      truncation: true,
      max_length: maxLength,
    });
    const { logits } = await model(inputs);
    scores.push(...logits.data);
  }
  return scores;
}

{
  const warm = pairs.slice(0, batchSize);
  const inputs = tokenizer(warm.map((p) => p.query), { text_pair: warm.map((p) => p.document), padding: true, truncation: true, max_length: maxLength });
  await model(inputs);
}
const times = [];
for (let r = 0; r < repeat; r++) {
  const start = process.hrtime.bigint();
  await scoreAll();
  times.push(Number(process.hrtime.bigint() - start) / 1e9);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(`transformers.js ${JSON.parse(readFileSync(new URL('./node_modules/@huggingface/transformers/package.json', import.meta.url), 'utf8')).version}, model ${modelDir}: ${pairs.length} pairs, batch ${batchSize}, max length ${maxLength}, ${threads} intra-op threads, ${dtype}, ${sortByLength ? 'length-sorted' : 'file order'}`);
console.log(`time per pass: ${times.map((t) => t.toFixed(2)).join(', ')} s; median ${median.toFixed(2)} s`);
console.log(`throughput (median pass): ${(pairs.length / median).toFixed(1)} pairs/s; best pass ${(pairs.length / sorted[0]).toFixed(1)} pairs/s`);
