// SearchRerank training engine — the training objectives over groups of scored pairs.
#include <cmath>

#include "error.h"
#include "model.h"

namespace srt {

namespace {

const char* loss_name(int32_t loss) {
  switch (loss) {
    case SRT_LOSS_BCE: return "BCE";
    case SRT_LOSS_LCE: return "LCE";
    case SRT_LOSS_RANKNET: return "RankNet";
    case SRT_LOSS_LISTWISE_KL: return "ListwiseKL";
    case SRT_LOSS_MARGIN_MSE: return "MarginMSE";
    default: return "unknown";
  }
}

// Mean over groups (and over the terms inside them) of weight_g * term; weights broadcast over trailing dims.
at::Tensor weighted_mean(const at::Tensor& terms, const at::Tensor& weights) {
  if (!weights.defined()) return terms.mean();
  auto w = weights;
  while (w.dim() < terms.dim()) w = w.unsqueeze(-1);
  return (terms * w).mean();
}

}  // namespace

at::Tensor objective_loss(const at::Tensor& scores, const srt_objective& o) {
  const char* name = loss_name(o.loss);
  SRT_CHECK(o.loss >= SRT_LOSS_BCE && o.loss <= SRT_LOSS_MARGIN_MSE, SRT_INVALID_ARGUMENT, "objective.loss ", o.loss,
            " is not a srt_loss value");
  const int64_t batch = scores.size(0), g = o.group_size;
  SRT_CHECK(g >= 1 && batch % g == 0, SRT_INVALID_ARGUMENT, name, ": group_size ", g,
            " must be positive and divide the batch size ", batch);
  SRT_CHECK(o.loss == SRT_LOSS_BCE || g >= 2, SRT_INVALID_ARGUMENT, name, ": needs groups of at least 2 pairs, got ",
            g);
  const int64_t groups = batch / g;
  const auto float_options = scores.options().requires_grad(false);

  at::Tensor labels;
  if (o.loss != SRT_LOSS_LCE) {
    SRT_CHECK(o.labels != nullptr, SRT_INVALID_ARGUMENT, name, ": objective.labels is NULL");
    for (int64_t i = 0; i < batch; ++i) {
      SRT_CHECK(std::isfinite(o.labels[i]), SRT_INVALID_ARGUMENT, name, ": labels[", i, "] = ", o.labels[i],
                " is not finite");
      SRT_CHECK(o.loss != SRT_LOSS_BCE || (o.labels[i] >= 0 && o.labels[i] <= 1), SRT_INVALID_ARGUMENT, name,
                ": labels[", i, "] = ", o.labels[i], " is outside [0, 1]");
    }
    labels = at::from_blob(const_cast<float*>(o.labels), {groups, g}, at::kFloat).to(float_options.device(), at::kFloat,
                                                                                   false, true);
  }
  at::Tensor weights;
  if (o.group_weights != nullptr) {
    for (int64_t i = 0; i < groups; ++i) {
      SRT_CHECK(std::isfinite(o.group_weights[i]) && o.group_weights[i] >= 0, SRT_INVALID_ARGUMENT, name,
                ": group_weights[", i, "] = ", o.group_weights[i], " must be finite and >= 0");
    }
    weights = at::from_blob(const_cast<float*>(o.group_weights), {groups}, at::kFloat)
                  .to(float_options.device(), at::kFloat, false, true);
  }

  const at::Tensor s = scores.view({groups, g});
  switch (o.loss) {
    case SRT_LOSS_BCE:
      return weighted_mean(at::binary_cross_entropy_with_logits(s, labels, {}, {}, at::Reduction::None), weights);
    case SRT_LOSS_LCE:
      return weighted_mean(-at::log_softmax(s, 1).select(1, 0), weights);
    case SRT_LOSS_RANKNET: {
      // pairs[n][i][j] = 1 where label_i > label_j; loss log(1 + exp(-(s_i - s_j))) = softplus(s_j - s_i).
      const at::Tensor pairs = labels.unsqueeze(2).gt(labels.unsqueeze(1)).to(at::kFloat);
      at::Tensor terms = at::softplus(s.unsqueeze(1) - s.unsqueeze(2)) * pairs;
      if (weights.defined()) terms = terms * weights.view({groups, 1, 1});
      const double count = pairs.sum().item<double>();
      // No ordered pair (all labels tied): nothing to learn, but keep the graph so backward still works.
      return count > 0 ? terms.sum() / count : s.sum() * 0.0;
    }
    case SRT_LOSS_LISTWISE_KL: {
      SRT_CHECK(o.temperature > 0 && std::isfinite(o.temperature), SRT_INVALID_ARGUMENT, name,
                ": temperature must be positive, got ", o.temperature);
      const at::Tensor target_log = at::log_softmax(labels / o.temperature, 1);
      const at::Tensor model_log = at::log_softmax(s / o.temperature, 1);
      const at::Tensor kl = (target_log.exp() * (target_log - model_log)).sum(1);
      return weighted_mean(kl, weights);
    }
    default: {  // SRT_LOSS_MARGIN_MSE
      const at::Tensor model_margin = s.narrow(1, 0, 1) - s.narrow(1, 1, g - 1);
      const at::Tensor teacher_margin = labels.narrow(1, 0, 1) - labels.narrow(1, 1, g - 1);
      return weighted_mean((model_margin - teacher_margin).pow(2), weights);
    }
  }
}

}  // namespace srt
