// SearchRerank training engine — the C boundary: every entry point catches everything and returns srt_status*.
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>

#include <dlfcn.h>

#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "error.h"
#include "model.h"
#include "srtrain.h"
#include "trainer.h"

struct srt_status {
  int32_t code;
  std::string message;
  std::string file;
  int32_t line;
};

struct srt_model {
  std::unique_ptr<srt::Bert> bert;
};

struct srt_trainer {
  std::unique_ptr<srt::Trainer> trainer;
};

namespace {

// Returned when even the status cannot be allocated; never freed.
srt_status out_of_memory_status{SRT_INTERNAL, "out of memory", __FILE__, __LINE__};

srt_status* make_status(srt_code code, const char* message, const char* file, int line) noexcept {
  try {
    return new srt_status{code, message, file, line};
  } catch (...) {
    return &out_of_memory_status;
  }
}

// Runs body; a thrown exception becomes a status. libtorch errors carry no location of ours, so they get the
// line of the entry point that called into libtorch.
template <class Body>
srt_status* guarded(int line, Body&& body) noexcept {
  try {
    body();
    return nullptr;
  } catch (const srt::Error& e) {
    return make_status(e.code(), e.what(), e.file(), e.line());
  } catch (const c10::Error& e) {
    return make_status(SRT_INTERNAL, e.what_without_backtrace(), __FILE__, line);
  } catch (const std::bad_alloc&) {
    return make_status(SRT_INTERNAL, "out of memory", __FILE__, line);
  } catch (const std::exception& e) {
    return make_status(SRT_INTERNAL, e.what(), __FILE__, line);
  } catch (...) {
    return make_status(SRT_INTERNAL, "unknown C++ exception", __FILE__, line);
  }
}

#define GUARDED(...) guarded(__LINE__, [&]() { __VA_ARGS__; })

template <class T>
void require(const T* pointer, const char* name) {
  SRT_CHECK(pointer != nullptr, SRT_INVALID_ARGUMENT, name, " is NULL");
}

srt::Bert& bert(const srt_model* model) {
  require(model, "model");
  return *model->bert;
}

srt::Trainer& trainer_of(const srt_trainer* trainer) {
  require(trainer, "trainer");
  return *trainer->trainer;
}

at::Device pick_device(const char* name) {
  require(name, "device");
  const std::string d = name;
  if (d == "cpu") return at::kCPU;
  if (d == "cuda" || d == "auto") {
    if (torch::cuda::is_available()) return at::Device(at::kCUDA, 0);
    SRT_CHECK(d == "auto", SRT_DEVICE,
              "device 'cuda' requested but libtorch sees no CUDA device (CPU-only build or no GPU); use 'cpu' or "
              "'auto' to fall back to the CPU");
    return at::kCPU;
  }
  SRT_FAIL(SRT_INVALID_ARGUMENT, "device '", d, "' is not one of cpu, cuda, auto");
}

}  // namespace

extern "C" {

int32_t srt_status_code(const srt_status* status) { return status ? status->code : SRT_OK; }
const char* srt_status_message(const srt_status* status) { return status ? status->message.c_str() : ""; }
const char* srt_status_file(const srt_status* status) { return status ? status->file.c_str() : ""; }
int32_t srt_status_line(const srt_status* status) { return status ? status->line : 0; }
void srt_status_release(srt_status* status) {
  if (status != &out_of_memory_status) delete status;
}

srt_status* srt_set_num_threads(int32_t threads) {
  return GUARDED(SRT_CHECK(threads >= 1, SRT_INVALID_ARGUMENT, "threads must be >= 1, got ", threads);
                 at::set_num_threads(threads);
                 // at::set_num_threads sizes the OpenMP pool (and MKL's) but not OpenBLAS's own pthread pool, which
                 // Debian's libtorch calls for GEMMs; without this, BLAS keeps one thread per core.
                 using SetBlasThreads = void (*)(int);
                 if (auto set_blas = reinterpret_cast<SetBlasThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
                     set_blas(threads));
}

srt_status* srt_cuda_available(int32_t* available) {
  return GUARDED(require(available, "available"); *available = torch::cuda::is_available() ? 1 : 0);
}

srt_status* srt_model_create(const srt_config* config, uint64_t seed, const char* device, srt_model** model) {
  return GUARDED(require(config, "config"); require(model, "model"); *model = nullptr;
                 auto created = std::make_unique<srt_model>();
                 created->bert = std::make_unique<srt::Bert>(*config, seed, pick_device(device));
                 *model = created.release());
}

void srt_model_release(srt_model* model) { delete model; }

srt_status* srt_model_is_cuda(const srt_model* model, int32_t* is_cuda) {
  return GUARDED(require(is_cuda, "is_cuda"); *is_cuda = bert(model).device().is_cuda() ? 1 : 0);
}

srt_status* srt_model_parameter_count(const srt_model* model, int64_t* count) {
  return GUARDED(require(count, "count"); *count = static_cast<int64_t>(bert(model).parameters().size()));
}

srt_status* srt_model_parameter_name(const srt_model* model, int64_t index, const char** name) {
  return GUARDED(require(name, "name"); const auto& params = bert(model).parameters();
                 SRT_CHECK(index >= 0 && index < static_cast<int64_t>(params.size()), SRT_INVALID_ARGUMENT,
                           "parameter index ", index, " is outside [0, ", params.size(), ")");
                 *name = params[static_cast<size_t>(index)].name.c_str());
}

srt_status* srt_model_parameter_shape(const srt_model* model, const char* name, int64_t* shape, int32_t capacity,
                                      int32_t* rank) {
  return GUARDED(require(name, "name"); require(rank, "rank"); const auto& b = bert(model);
                 const auto sizes = b.parameters()[b.index_of(name)].value.sizes();
                 *rank = static_cast<int32_t>(sizes.size());
                 for (int32_t i = 0; i < capacity && i < *rank; ++i) shape[i] = sizes[i]);
}

srt_status* srt_model_get_parameter(const srt_model* model, const char* name, float* data, int64_t count) {
  return GUARDED(require(name, "name"); require(data, "data"); const auto& b = bert(model);
                 const auto& p = b.parameters()[b.index_of(name)].value;
                 SRT_CHECK(count == p.numel(), SRT_INVALID_ARGUMENT, "parameter '", name, "' has ", p.numel(),
                           " elements, the buffer ", count);
                 const auto cpu = p.detach().to(at::kCPU).contiguous();
                 std::memcpy(data, cpu.data_ptr<float>(), sizeof(float) * static_cast<size_t>(count)));
}

srt_status* srt_model_set_parameter(srt_model* model, const char* name, const float* data, int64_t count) {
  return GUARDED(require(name, "name"); require(data, "data"); auto& b = bert(model);
                 auto& p = b.parameters()[b.index_of(name)].value;
                 SRT_CHECK(count == p.numel(), SRT_INVALID_ARGUMENT, "parameter '", name, "' has ", p.numel(),
                           " elements, the buffer ", count);
                 at::NoGradGuard no_grad;
                 p.copy_(at::from_blob(const_cast<float*>(data), p.sizes(), at::kFloat)));
}

srt_status* srt_model_forward(srt_model* model, const srt_batch* batch, float* logits) {
  return GUARDED(require(batch, "batch"); require(logits, "logits"); auto& b = bert(model);
                 at::NoGradGuard no_grad;
                 const auto out = b.forward(b.inputs(*batch), false).to(at::kCPU).contiguous();
                 std::memcpy(logits, out.data_ptr<float>(), sizeof(float) * static_cast<size_t>(batch->batch)));
}

srt_status* srt_trainer_create(srt_model* model, const srt_trainer_options* options, srt_trainer** trainer) {
  return GUARDED(require(options, "options"); require(trainer, "trainer"); *trainer = nullptr;
                 auto created = std::make_unique<srt_trainer>();
                 created->trainer = std::make_unique<srt::Trainer>(bert(model), *options);
                 *trainer = created.release());
}

void srt_trainer_release(srt_trainer* trainer) { delete trainer; }

srt_status* srt_trainer_step(srt_trainer* trainer, const srt_batch* batch, const srt_objective* objective,
                             double* loss) {
  return GUARDED(require(batch, "batch"); require(objective, "objective"); require(loss, "loss");
                 *loss = trainer_of(trainer).step(*batch, *objective));
}

srt_status* srt_trainer_state(const srt_trainer* trainer, int64_t* step, double* learning_rate, double* grad_norm) {
  return GUARDED(const auto& t = trainer_of(trainer); if (step) *step = t.optimizer_steps();
                 if (learning_rate) *learning_rate = t.next_learning_rate();
                 if (grad_norm) *grad_norm = t.last_grad_norm());
}

srt_status* srt_trainer_grad_norm(const srt_trainer* trainer, const char* name, double* norm) {
  return GUARDED(require(name, "name"); require(norm, "norm"); *norm = trainer_of(trainer).grad_norm(name));
}

srt_status* srt_trainer_save(const srt_trainer* trainer, const char* path) {
  return GUARDED(require(path, "path"); trainer_of(trainer).save(path));
}

srt_status* srt_trainer_load(srt_trainer* trainer, const char* path) {
  return GUARDED(require(path, "path"); trainer_of(trainer).load(path));
}

}  // extern "C"
