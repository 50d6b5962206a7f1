// SearchRerank training engine — optimizer loop and trainer checkpoints.
#include "trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "error.h"

namespace srt {

namespace {

constexpr char kMagic[8] = {'S', 'R', 'T', 'C', 'K', 'P', 'T', '1'};

at::Generator default_generator(at::Device device) {
  return device.is_cpu() ? at::detail::getDefaultCPUGenerator() : at::globalContext().defaultGenerator(device);
}

at::Tensor generator_state(at::Device device) {
  auto gen = default_generator(device);
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}

// Checkpoint writer: raw little-endian values into a temp file, fsync, then rename over the target.
class Writer {
 public:
  explicit Writer(const std::string& path) : path_(path), temp_(path + ".tmp." + std::to_string(::getpid())) {
    file_ = std::fopen(temp_.c_str(), "wb");
    SRT_CHECK(file_ != nullptr, SRT_IO, temp_, ": cannot create: ", std::strerror(errno));
  }
  ~Writer() {
    if (file_ != nullptr) {
      std::fclose(file_);
      std::remove(temp_.c_str());
    }
  }
  void bytes(const void* data, size_t size) {
    SRT_CHECK(size == 0 || std::fwrite(data, 1, size, file_) == size, SRT_IO, temp_, ": write failed: ",
              std::strerror(errno));
  }
  template <class T>
  void value(T v) { bytes(&v, sizeof v); }
  void tensor(const at::Tensor& t) {
    const auto cpu = t.detach().to(at::kCPU).contiguous();
    value<int64_t>(cpu.nbytes());
    bytes(cpu.data_ptr(), cpu.nbytes());
  }
  void commit() {
    const bool ok = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok || !closed || std::rename(temp_.c_str(), path_.c_str()) != 0) {
      const std::string reason = std::strerror(errno);
      std::remove(temp_.c_str());
      SRT_FAIL(SRT_IO, path_, ": cannot write checkpoint: ", reason);
    }
  }

 private:
  std::string path_, temp_;
  std::FILE* file_ = nullptr;
};

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {
    file_ = std::fopen(path.c_str(), "rb");
    SRT_CHECK(file_ != nullptr, SRT_IO, path, ": cannot open: ", std::strerror(errno));
  }
  ~Reader() { std::fclose(file_); }
  void bytes(void* data, size_t size, const char* field) {
    SRT_CHECK(std::fread(data, 1, size, file_) == size, SRT_IO, path_, ": truncated checkpoint at ", field,
              " (offset ", std::ftell(file_), ")");
  }
  template <class T>
  T value(const char* field) {
    T v;
    bytes(&v, sizeof v, field);
    return v;
  }
  // Reads a tensor written by Writer::tensor into a new CPU tensor of the given shape and dtype.
  at::Tensor tensor(at::IntArrayRef shape, at::ScalarType dtype, const std::string& field) {
    auto t = at::empty(shape, at::TensorOptions(dtype));
    const auto size = value<int64_t>(field.c_str());
    SRT_CHECK(size == static_cast<int64_t>(t.nbytes()), SRT_IO, path_, ": ", field, " holds ", size,
              " bytes, expected ", t.nbytes());
    bytes(t.data_ptr(), t.nbytes(), field.c_str());
    return t;
  }
  at::Tensor blob(const char* field) {
    const auto size = value<int64_t>(field);
    SRT_CHECK(size >= 0 && size < (int64_t(1) << 30), SRT_IO, path_, ": ", field, " size ", size, " is invalid");
    auto t = at::empty({size}, at::kByte);
    bytes(t.data_ptr(), size, field);
    return t;
  }
  void expect_end() {
    SRT_CHECK(std::fgetc(file_) == EOF, SRT_IO, path_, ": unexpected data after the end of the checkpoint");
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_;
};

}  // namespace

Trainer::Trainer(Bert& model, const srt_trainer_options& o) : model_(model), options_(o) {
  SRT_CHECK(std::isfinite(o.learning_rate) && o.learning_rate >= 0, SRT_INVALID_ARGUMENT,
            "options.learning_rate must be finite and >= 0, got ", o.learning_rate);
  SRT_CHECK(std::isfinite(o.weight_decay) && o.weight_decay >= 0, SRT_INVALID_ARGUMENT,
            "options.weight_decay must be >= 0, got ", o.weight_decay);
  SRT_CHECK(o.beta1 >= 0 && o.beta1 < 1, SRT_INVALID_ARGUMENT, "options.beta1 must be in [0, 1), got ", o.beta1);
  SRT_CHECK(o.beta2 >= 0 && o.beta2 < 1, SRT_INVALID_ARGUMENT, "options.beta2 must be in [0, 1), got ", o.beta2);
  SRT_CHECK(o.epsilon > 0, SRT_INVALID_ARGUMENT, "options.epsilon must be positive, got ", o.epsilon);
  SRT_CHECK(o.warmup_steps >= 0, SRT_INVALID_ARGUMENT, "options.warmup_steps must be >= 0, got ", o.warmup_steps);
  SRT_CHECK(o.accumulation_steps >= 1, SRT_INVALID_ARGUMENT, "options.accumulation_steps must be >= 1, got ",
            o.accumulation_steps);
  SRT_CHECK(o.optimizer == SRT_OPTIMIZER_ADAMW || o.optimizer == SRT_OPTIMIZER_SGD, SRT_INVALID_ARGUMENT,
            "options.optimizer ", o.optimizer, " is not a srt_optimizer value");
  SRT_CHECK(o.schedule == SRT_SCHEDULE_LINEAR || o.schedule == SRT_SCHEDULE_CONSTANT, SRT_INVALID_ARGUMENT,
            "options.schedule ", o.schedule, " is not a srt_schedule value");
  SRT_CHECK(o.schedule != SRT_SCHEDULE_LINEAR || o.total_steps > 0, SRT_INVALID_ARGUMENT,
            "options.total_steps must be positive for the linear schedule, got ", o.total_steps);
  if (o.optimizer == SRT_OPTIMIZER_ADAMW) {
    at::NoGradGuard no_grad;
    for (const auto& p : model_.parameters()) {
      exp_avg_.push_back(at::zeros_like(p.value));
      exp_avg_sq_.push_back(at::zeros_like(p.value));
    }
  }
}

// transformers' get_linear_schedule_with_warmup / get_constant_schedule_with_warmup: the factor for the optimizer
// step that has index `steps_` (so with warmup the first step uses lr 0, as there).
double Trainer::next_learning_rate() const {
  const double step = static_cast<double>(steps_);
  const double warmup = static_cast<double>(options_.warmup_steps);
  double factor;
  if (step < warmup) {
    factor = step / std::max(1.0, warmup);
  } else if (options_.schedule == SRT_SCHEDULE_CONSTANT) {
    factor = 1.0;
  } else {
    const double total = static_cast<double>(options_.total_steps);
    factor = std::max(0.0, (total - step) / std::max(1.0, total - warmup));
  }
  return options_.learning_rate * factor;
}

void Trainer::zero_grad() {
  for (auto& p : model_.parameters()) {
    if (p.value.grad().defined()) p.value.mutable_grad().zero_();
  }
}

double Trainer::step(const srt_batch& batch, const srt_objective& objective) {
  const Inputs inputs = model_.inputs(batch);
  if (micro_ == 0) zero_grad();
  const at::Tensor scores = model_.forward(inputs, options_.dropout != 0);
  const at::Tensor loss = objective_loss(scores, objective);
  const double value = loss.item<double>();
  SRT_CHECK(std::isfinite(value), SRT_NON_FINITE, "loss is ", value, " at optimizer step ", steps_, ", micro-batch ",
            micro_, "; nothing was accumulated and the weights are unchanged");
  (options_.accumulation_steps == 1 ? loss : loss / options_.accumulation_steps).backward();
  if (++micro_ == options_.accumulation_steps) {
    micro_ = 0;
    apply();
  }
  return value;
}

void Trainer::apply() {
  at::NoGradGuard no_grad;
  auto& params = model_.parameters();
  std::vector<at::Tensor> grads;
  grads.reserve(params.size());
  for (auto& p : params) {
    if (!p.value.grad().defined()) p.value.mutable_grad() = at::zeros_like(p.value);
    grads.push_back(p.value.grad());
  }
  // Global L2 norm as torch.nn.utils.clip_grad_norm_: the norm of the per-tensor norms.
  std::vector<at::Tensor> norms;
  norms.reserve(grads.size());
  for (const auto& g : grads) norms.push_back(g.norm());
  const double norm = at::stack(norms).norm().item<double>();
  last_grad_norm_ = norm;
  if (!std::isfinite(norm)) {
    zero_grad();
    SRT_FAIL(SRT_NON_FINITE, "gradient norm is ", norm, " at optimizer step ", steps_,
             "; the accumulated gradients were dropped and the weights are unchanged");
  }
  if (options_.max_grad_norm > 0) {
    const double coefficient = options_.max_grad_norm / (norm + 1e-6);
    if (coefficient < 1.0) {
      for (auto& g : grads) g.mul_(coefficient);
    }
  }

  const double lr = next_learning_rate();
  ++steps_;
  if (options_.optimizer == SRT_OPTIMIZER_SGD) {
    for (size_t i = 0; i < params.size(); ++i) params[i].value.add_(grads[i], -lr);
    return;
  }
  // torch.optim.AdamW (amsgrad off): decoupled decay, then the bias-corrected Adam update.
  const double b1 = options_.beta1, b2 = options_.beta2;
  const double correction1 = 1.0 - std::pow(b1, static_cast<double>(steps_));
  const double correction2_sqrt = std::sqrt(1.0 - std::pow(b2, static_cast<double>(steps_)));
  for (size_t i = 0; i < params.size(); ++i) {
    auto& p = params[i].value;
    const double decay = params[i].decay ? 1.0 - lr * options_.weight_decay : 1.0;
    if (p.device().is_cpu() && grads[i].is_contiguous()) {
      adamw_cpu(p, grads[i], exp_avg_[i], exp_avg_sq_[i], decay, b1, b2, lr / correction1, correction2_sqrt);
      continue;
    }
    if (decay != 1.0) p.mul_(decay);
    exp_avg_[i].mul_(b1).add_(grads[i], 1.0 - b1);
    exp_avg_sq_[i].mul_(b2).addcmul_(grads[i], grads[i], 1.0 - b2);
    const at::Tensor denominator = (exp_avg_sq_[i].sqrt() / correction2_sqrt).add_(options_.epsilon);
    p.addcdiv_(exp_avg_[i], denominator, -lr / correction1);
  }
}

// The same update as the tensor ops in apply(), in one pass over memory instead of about ten: the word embeddings
// alone are 3.9M of the 4.4M parameters of a small cross-encoder, so the optimizer is memory-bound.
void Trainer::adamw_cpu(at::Tensor& p, const at::Tensor& g, at::Tensor& m, at::Tensor& v, double decay, double b1,
                        double b2, double step_size, double correction2_sqrt) const {
  float* pp = p.data_ptr<float>();
  const float* gp = g.data_ptr<float>();
  float* mp = m.data_ptr<float>();
  float* vp = v.data_ptr<float>();
  const float fdecay = static_cast<float>(decay), fb1 = static_cast<float>(b1), fb2 = static_cast<float>(b2);
  const float one_b1 = static_cast<float>(1.0 - b1), one_b2 = static_cast<float>(1.0 - b2);
  const float fstep = static_cast<float>(step_size), fcorr = static_cast<float>(correction2_sqrt);
  const float eps = static_cast<float>(options_.epsilon);
  at::parallel_for(0, p.numel(), 1 << 14, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const float grad = gp[i];
      const float mi = fb1 * mp[i] + one_b1 * grad;
      const float vi = fb2 * vp[i] + one_b2 * grad * grad;
      mp[i] = mi;
      vp[i] = vi;
      pp[i] = pp[i] * fdecay - fstep * mi / (std::sqrt(vi) / fcorr + eps);
    }
  });
}

double Trainer::grad_norm(const std::string& name) const {
  const auto& p = model_.parameters()[model_.index_of(name)].value;
  SRT_CHECK(p.grad().defined(), SRT_INVALID_ARGUMENT, "parameter '", name, "' has no gradient yet");
  return p.grad().norm().item<double>();
}

// Layout: magic, optimizer, steps, micro (always 0), last norm, parameter count, per parameter (name, moments when
// AdamW), CPU generator state, CUDA generator state (empty on CPU). All little-endian, as the machine writes it.
void Trainer::save(const std::string& path) const {
  SRT_CHECK(micro_ == 0, SRT_INVALID_ARGUMENT, "cannot save in the middle of gradient accumulation (micro-batch ",
            micro_, " of ", options_.accumulation_steps, "); save after an optimizer step");
  Writer out(path);
  out.bytes(kMagic, sizeof kMagic);
  out.value<int32_t>(options_.optimizer);
  out.value<int64_t>(steps_);
  out.value<double>(last_grad_norm_);
  const auto& params = model_.parameters();
  out.value<int64_t>(static_cast<int64_t>(params.size()));
  for (size_t i = 0; i < params.size(); ++i) {
    out.value<int64_t>(static_cast<int64_t>(params[i].name.size()));
    out.bytes(params[i].name.data(), params[i].name.size());
    if (options_.optimizer == SRT_OPTIMIZER_ADAMW) {
      out.tensor(exp_avg_[i]);
      out.tensor(exp_avg_sq_[i]);
    }
  }
  out.tensor(generator_state(at::kCPU));
  const at::Device device = model_.device();
  if (device.is_cpu()) out.value<int64_t>(0);
  else out.tensor(generator_state(device));
  out.commit();
}

void Trainer::load(const std::string& path) {
  Reader in(path);
  char magic[sizeof kMagic];
  in.bytes(magic, sizeof magic, "magic");
  SRT_CHECK(std::memcmp(magic, kMagic, sizeof kMagic) == 0, SRT_IO, path, ": not a trainer checkpoint (bad magic)");
  const auto optimizer = in.value<int32_t>("optimizer");
  SRT_CHECK(optimizer == options_.optimizer, SRT_INVALID_ARGUMENT, path, ": checkpoint optimizer ", optimizer,
            " differs from the trainer's ", options_.optimizer);
  const auto steps = in.value<int64_t>("steps");
  const auto last_norm = in.value<double>("last_grad_norm");
  const auto& params = model_.parameters();
  const auto count = in.value<int64_t>("parameter count");
  SRT_CHECK(count == static_cast<int64_t>(params.size()), SRT_INVALID_ARGUMENT, path, ": checkpoint has ", count,
            " parameters, the model has ", params.size());
  // Everything is read before anything is changed, so a bad file leaves the trainer as it was.
  std::vector<at::Tensor> avg, avg_sq;
  for (size_t i = 0; i < params.size(); ++i) {
    const auto length = in.value<int64_t>("parameter name length");
    SRT_CHECK(length >= 0 && length < 4096, SRT_IO, path, ": parameter ", i, " name length ", length, " is invalid");
    std::string name(static_cast<size_t>(length), '\0');
    in.bytes(name.data(), name.size(), "parameter name");
    SRT_CHECK(name == params[i].name, SRT_INVALID_ARGUMENT, path, ": parameter ", i, " is '", name,
              "', the model has '", params[i].name, "'");
    if (options_.optimizer == SRT_OPTIMIZER_ADAMW) {
      avg.push_back(in.tensor(params[i].value.sizes(), at::kFloat, "exp_avg of " + name));
      avg_sq.push_back(in.tensor(params[i].value.sizes(), at::kFloat, "exp_avg_sq of " + name));
    }
  }
  const at::Tensor cpu_state = in.blob("CPU generator state");
  const at::Tensor device_state = in.blob("device generator state");
  in.expect_end();

  at::NoGradGuard no_grad;
  for (size_t i = 0; i < avg.size(); ++i) {
    exp_avg_[i].copy_(avg[i]);
    exp_avg_sq_[i].copy_(avg_sq[i]);
  }
  steps_ = steps;
  micro_ = 0;
  last_grad_norm_ = last_norm;
  zero_grad();
  {
    auto gen = default_generator(at::kCPU);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(cpu_state);
  }
  if (!model_.device().is_cpu() && device_state.numel() > 0) {
    auto gen = default_generator(model_.device());
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(device_state);
  }
}

}  // namespace srt
