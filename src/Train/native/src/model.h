// SearchRerank training engine — the BERT cross-encoder (HF BertForSequenceClassification, one label).
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "srtrain.h"

namespace srt {

struct Parameter {
  std::string name;  // Hugging Face state_dict name
  at::Tensor value;  // leaf tensor, requires_grad
  bool decay;        // AdamW weight decay applies (not biases, not LayerNorm weights: HF's no_decay list)
};

// A validated batch as int64 tensors on the model's device, [batch, seq].
struct Inputs {
  at::Tensor input_ids;
  at::Tensor token_type_ids;
  at::Tensor attention_mask;
  at::Tensor exact_match_ids;  // undefined when the model has no exact-match embedding
  bool padded = true;          // some attention_mask entry is 0
};

class Bert {
 public:
  Bert(const srt_config& config, uint64_t seed, at::Device device);

  // Checks ranges (ids < vocab, types < type_vocab, mask/exact in {0,1}, seq <= max positions) and uploads.
  Inputs inputs(const srt_batch& batch) const;
  // Logits [batch]. train = true applies dropout; autograd follows the caller's grad mode.
  at::Tensor forward(const Inputs& inputs, bool train) const;

  std::vector<Parameter>& parameters() { return parameters_; }
  const std::vector<Parameter>& parameters() const { return parameters_; }
  // Index into parameters(); throws SRT_NOT_FOUND naming the unknown parameter.
  size_t index_of(const std::string& name) const;
  const srt_config& config() const { return config_; }
  at::Device device() const { return device_; }

 private:
  struct Layer {
    at::Tensor query_w, query_b, key_w, key_b, value_w, value_b;
    at::Tensor attention_out_w, attention_out_b, attention_norm_w, attention_norm_b;
    at::Tensor intermediate_w, intermediate_b, output_w, output_b, output_norm_w, output_norm_b;
  };

  at::Tensor& add(const std::string& name, std::vector<int64_t> shape, char init);

  srt_config config_;
  at::Device device_;
  std::vector<Parameter> parameters_;
  std::unordered_map<std::string, size_t> index_;
  at::Tensor word_, position_, token_type_, exact_match_, embedding_norm_w_, embedding_norm_b_;
  std::vector<Layer> layers_;
  at::Tensor pooler_w_, pooler_b_, classifier_w_, classifier_b_;
};

// The loss of one micro-batch (a scalar tensor) for scores [batch]; validates the objective.
at::Tensor objective_loss(const at::Tensor& scores, const srt_objective& objective);

}  // namespace srt
