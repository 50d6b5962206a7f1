// SearchRerank training engine — BERT forward pass, same arithmetic as Hugging Face BertForSequenceClassification.
#include "model.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

#include "error.h"

namespace srt {

namespace {

void check_config(const srt_config& c) {
  SRT_CHECK(c.vocab_size > 0, SRT_INVALID_ARGUMENT, "config.vocab_size must be positive, got ", c.vocab_size);
  SRT_CHECK(c.hidden_size > 0, SRT_INVALID_ARGUMENT, "config.hidden_size must be positive, got ", c.hidden_size);
  SRT_CHECK(c.num_hidden_layers >= 0, SRT_INVALID_ARGUMENT, "config.num_hidden_layers must be >= 0, got ",
            c.num_hidden_layers);
  SRT_CHECK(c.num_attention_heads > 0 && c.hidden_size % c.num_attention_heads == 0, SRT_INVALID_ARGUMENT,
            "config.num_attention_heads (", c.num_attention_heads, ") must divide hidden_size (", c.hidden_size, ")");
  SRT_CHECK(c.intermediate_size > 0, SRT_INVALID_ARGUMENT, "config.intermediate_size must be positive, got ",
            c.intermediate_size);
  SRT_CHECK(c.max_position_embeddings > 0, SRT_INVALID_ARGUMENT,
            "config.max_position_embeddings must be positive, got ", c.max_position_embeddings);
  SRT_CHECK(c.type_vocab_size > 0, SRT_INVALID_ARGUMENT, "config.type_vocab_size must be positive, got ",
            c.type_vocab_size);
  SRT_CHECK(c.pad_token_id >= 0 && c.pad_token_id < c.vocab_size, SRT_INVALID_ARGUMENT, "config.pad_token_id ",
            c.pad_token_id, " is outside the vocabulary (", c.vocab_size, ")");
  SRT_CHECK(c.layer_norm_eps > 0, SRT_INVALID_ARGUMENT, "config.layer_norm_eps must be positive, got ",
            c.layer_norm_eps);
  SRT_CHECK(c.hidden_dropout_prob >= 0 && c.hidden_dropout_prob < 1, SRT_INVALID_ARGUMENT,
            "config.hidden_dropout_prob must be in [0, 1), got ", c.hidden_dropout_prob);
  SRT_CHECK(c.attention_probs_dropout_prob >= 0 && c.attention_probs_dropout_prob < 1, SRT_INVALID_ARGUMENT,
            "config.attention_probs_dropout_prob must be in [0, 1), got ", c.attention_probs_dropout_prob);
}

// Copies an int32 [batch, seq] array after checking every value lies in [0, limit).
at::Tensor upload(const int32_t* data, const char* field, int64_t limit, const char* limit_name, int64_t batch,
                  int64_t seq, at::Device device) {
  SRT_CHECK(data != nullptr, SRT_INVALID_ARGUMENT, "batch.", field, " is NULL");
  for (int64_t i = 0; i < batch * seq; ++i) {
    SRT_CHECK(data[i] >= 0 && data[i] < limit, SRT_INVALID_ARGUMENT, "batch.", field, "[", i / seq, "][", i % seq,
              "] = ", data[i], " is outside [0, ", limit, ") (", limit_name, ")");
  }
  auto cpu = at::from_blob(const_cast<int32_t*>(data), {batch, seq}, at::kInt).to(at::kLong);
  return device.is_cpu() ? cpu : cpu.to(device);
}

uint32_t mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

// Inverted dropout, x * mask with mask in {0, 1/(1-p)}. On the CPU, ATen's bernoulli_ draws serially from the
// Mersenne Twister (about a quarter of a training step here); instead one 64-bit draw from the default generator
// seeds a counter-based hash, computed in parallel and independent of the thread count. The generator still
// advances once per call, so seeding and checkpointed RNG state keep runs reproducible. Other devices use ATen's.
at::Tensor fast_dropout(const at::Tensor& x, double p, bool train) {
  if (!train || p <= 0) return x;
  if (!x.device().is_cpu()) return at::dropout(x, p, true);
  uint64_t seed;
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    seed = at::check_generator<at::CPUGeneratorImpl>(gen)->random64();
  }
  const uint32_t low = static_cast<uint32_t>(seed), high = static_cast<uint32_t>(seed >> 32);
  const uint32_t threshold = static_cast<uint32_t>(p * 16777216.0);  // drop when the top 24 bits fall below p
  const float keep = static_cast<float>(1.0 / (1.0 - p));
  at::Tensor mask = at::empty(x.sizes(), x.options().requires_grad(false));
  float* out = mask.data_ptr<float>();
  at::parallel_for(0, mask.numel(), 1 << 15, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const uint32_t h = mix32(mix32(static_cast<uint32_t>(i) ^ low) + high);
      out[i] = (h >> 8) < threshold ? 0.0f : keep;
    }
  });
  return x * mask;
}

}  // namespace

Bert::Bert(const srt_config& config, uint64_t seed, at::Device device) : config_(config), device_(device) {
  check_config(config);
  const int64_t h = config.hidden_size;
  at::manual_seed(seed);
  at::NoGradGuard no_grad;
  word_ = add("bert.embeddings.word_embeddings.weight", {config.vocab_size, h}, 'n');
  word_[config.pad_token_id].zero_();
  position_ = add("bert.embeddings.position_embeddings.weight", {config.max_position_embeddings, h}, 'n');
  token_type_ = add("bert.embeddings.token_type_embeddings.weight", {config.type_vocab_size, h}, 'n');
  if (config.exact_match) exact_match_ = add("bert.embeddings.exact_match_embeddings.weight", {2, h}, 'n');
  embedding_norm_w_ = add("bert.embeddings.LayerNorm.weight", {h}, '1');
  embedding_norm_b_ = add("bert.embeddings.LayerNorm.bias", {h}, '0');
  for (int64_t i = 0; i < config.num_hidden_layers; ++i) {
    const std::string p = "bert.encoder.layer." + std::to_string(i) + ".";
    Layer l;
    l.query_w = add(p + "attention.self.query.weight", {h, h}, 'n');
    l.query_b = add(p + "attention.self.query.bias", {h}, '0');
    l.key_w = add(p + "attention.self.key.weight", {h, h}, 'n');
    l.key_b = add(p + "attention.self.key.bias", {h}, '0');
    l.value_w = add(p + "attention.self.value.weight", {h, h}, 'n');
    l.value_b = add(p + "attention.self.value.bias", {h}, '0');
    l.attention_out_w = add(p + "attention.output.dense.weight", {h, h}, 'n');
    l.attention_out_b = add(p + "attention.output.dense.bias", {h}, '0');
    l.attention_norm_w = add(p + "attention.output.LayerNorm.weight", {h}, '1');
    l.attention_norm_b = add(p + "attention.output.LayerNorm.bias", {h}, '0');
    l.intermediate_w = add(p + "intermediate.dense.weight", {config.intermediate_size, h}, 'n');
    l.intermediate_b = add(p + "intermediate.dense.bias", {config.intermediate_size}, '0');
    l.output_w = add(p + "output.dense.weight", {h, config.intermediate_size}, 'n');
    l.output_b = add(p + "output.dense.bias", {h}, '0');
    l.output_norm_w = add(p + "output.LayerNorm.weight", {h}, '1');
    l.output_norm_b = add(p + "output.LayerNorm.bias", {h}, '0');
    layers_.push_back(l);
  }
  pooler_w_ = add("bert.pooler.dense.weight", {h, h}, 'n');
  pooler_b_ = add("bert.pooler.dense.bias", {h}, '0');
  classifier_w_ = add("classifier.weight", {1, h}, 'n');
  classifier_b_ = add("classifier.bias", {1}, '0');
}

at::Tensor& Bert::add(const std::string& name, std::vector<int64_t> shape, char init) {
  // Initialised on the CPU so that a seed gives the same weights on every device.
  auto t = at::empty(shape, at::kFloat);
  if (init == 'n') t.normal_(0.0, 0.02);
  else if (init == '1') t.fill_(1.0);
  else t.zero_();
  t = t.to(device_).detach().requires_grad_(true);
  const bool no_decay = name.find("bias") != std::string::npos || name.find("LayerNorm.weight") != std::string::npos;
  index_[name] = parameters_.size();
  parameters_.push_back({name, t, !no_decay});
  return parameters_.back().value;
}

size_t Bert::index_of(const std::string& name) const {
  auto it = index_.find(name);
  SRT_CHECK(it != index_.end(), SRT_NOT_FOUND, "the model has no parameter named '", name, "'");
  return it->second;
}

Inputs Bert::inputs(const srt_batch& b) const {
  SRT_CHECK(b.batch > 0 && b.seq > 0, SRT_INVALID_ARGUMENT, "batch shape [", b.batch, ", ", b.seq,
            "] must be positive");
  SRT_CHECK(b.seq <= config_.max_position_embeddings, SRT_INVALID_ARGUMENT, "sequence length ", b.seq,
            " exceeds max_position_embeddings ", config_.max_position_embeddings);
  Inputs in;
  in.input_ids = upload(b.input_ids, "input_ids", config_.vocab_size, "vocab_size", b.batch, b.seq, device_);
  in.token_type_ids =
      upload(b.token_type_ids, "token_type_ids", config_.type_vocab_size, "type_vocab_size", b.batch, b.seq, device_);
  in.attention_mask = upload(b.attention_mask, "attention_mask", 2, "0 or 1", b.batch, b.seq, device_);
  in.padded = std::find(b.attention_mask, b.attention_mask + b.batch * b.seq, 0) != b.attention_mask + b.batch * b.seq;
  if (config_.exact_match) {
    in.exact_match_ids = b.exact_match_ids != nullptr
                             ? upload(b.exact_match_ids, "exact_match_ids", 2, "0 or 1", b.batch, b.seq, device_)
                             : at::zeros({b.batch, b.seq}, at::TensorOptions(device_).dtype(at::kLong));
  }
  return in;
}

at::Tensor Bert::forward(const Inputs& in, bool train) const {
  const auto& c = config_;
  const int64_t batch = in.input_ids.size(0), seq = in.input_ids.size(1);
  const int64_t h = c.hidden_size, heads = c.num_attention_heads, head = h / heads;
  const double p_hidden = train ? c.hidden_dropout_prob : 0.0;
  const double p_attention = train ? c.attention_probs_dropout_prob : 0.0;
  const std::vector<int64_t> norm_shape = {h};

  // HF: (word + token_type) + position; the exact-match channel is added last, before the LayerNorm.
  at::Tensor x = at::embedding(word_, in.input_ids, c.pad_token_id) + at::embedding(token_type_, in.token_type_ids);
  x = x + position_.narrow(0, 0, seq);
  if (c.exact_match) x = x + at::embedding(exact_match_, in.exact_match_ids);
  x = at::layer_norm(x, norm_shape, embedding_norm_w_, embedding_norm_b_, c.layer_norm_eps);
  x = fast_dropout(x, p_hidden, train);

  // Additive mask (1 - mask) * float32.min, as HF's get_extended_attention_mask: finite, so a fully masked row
  // still softmaxes to a uniform distribution instead of NaN. A batch without padding adds nothing: skipped.
  at::Tensor additive_mask;
  if (in.padded) {
    additive_mask = (1.0 - in.attention_mask.to(x.scalar_type()))
                        .mul(std::numeric_limits<float>::lowest())
                        .view({batch, 1, 1, seq});
  }
  // HF divides QK^T by sqrt(head); scaling q first costs a pass over [seq, h] instead of [seq, seq], and for
  // power-of-two head sizes (64, 32, ...) it is bit-identical.
  const double scale = 1.0 / std::sqrt(static_cast<double>(head));
  auto split_heads = [&](const at::Tensor& t) { return t.view({batch, seq, heads, head}).transpose(1, 2); };

  for (const auto& l : layers_) {
    // One GEMM for query, key and value (the weights stay separate parameters with HF names).
    const auto qkv = at::linear(x, at::cat({l.query_w, l.key_w, l.value_w}), at::cat({l.query_b, l.key_b, l.value_b}))
                         .split(h, -1);
    at::Tensor q = split_heads(qkv[0].mul(scale));
    at::Tensor k = split_heads(qkv[1]);
    at::Tensor v = split_heads(qkv[2]);
    at::Tensor scores = at::matmul(q, k.transpose(-1, -2));
    if (additive_mask.defined()) scores = scores.add(additive_mask);
    at::Tensor probs = fast_dropout(at::softmax(scores, -1), p_attention, train);
    at::Tensor context = at::matmul(probs, v).transpose(1, 2).reshape({batch, seq, h});
    at::Tensor attended = fast_dropout(at::linear(context, l.attention_out_w, l.attention_out_b), p_hidden, train);
    x = at::layer_norm(attended + x, norm_shape, l.attention_norm_w, l.attention_norm_b, c.layer_norm_eps);
    at::Tensor inner = at::gelu(at::linear(x, l.intermediate_w, l.intermediate_b));  // exact erf GELU
    at::Tensor out = fast_dropout(at::linear(inner, l.output_w, l.output_b), p_hidden, train);
    x = at::layer_norm(out + x, norm_shape, l.output_norm_w, l.output_norm_b, c.layer_norm_eps);
  }

  at::Tensor pooled = at::tanh(at::linear(x.select(1, 0), pooler_w_, pooler_b_));
  pooled = fast_dropout(pooled, p_hidden, train);  // HF classifier_dropout = null -> hidden_dropout_prob
  return at::linear(pooled, classifier_w_, classifier_b_).squeeze(-1);
}

}  // namespace srt
