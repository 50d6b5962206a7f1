// SearchRerank training engine — AdamW/SGD with warmup schedule, accumulation, clipping and checkpoints.
#pragma once

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "model.h"

namespace srt {

class Trainer {
 public:
  Trainer(Bert& model, const srt_trainer_options& options);

  double step(const srt_batch& batch, const srt_objective& objective);
  int64_t optimizer_steps() const { return steps_; }
  double next_learning_rate() const;
  double last_grad_norm() const { return last_grad_norm_; }
  double grad_norm(const std::string& name) const;
  void save(const std::string& path) const;
  void load(const std::string& path);

 private:
  void apply();
  void zero_grad();
  void adamw_cpu(at::Tensor& p, const at::Tensor& g, at::Tensor& m, at::Tensor& v, double decay, double b1, double b2,
                 double step_size, double correction2_sqrt) const;

  Bert& model_;
  srt_trainer_options options_;
  int64_t steps_ = 0;
  int32_t micro_ = 0;
  double last_grad_norm_ = 0.0;
  std::vector<at::Tensor> exp_avg_, exp_avg_sq_;  // AdamW moments, one per parameter
};

}  // namespace srt
