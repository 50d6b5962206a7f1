/* SearchRerank training engine: a BERT cross-encoder (Hugging Face BertForSequenceClassification, one label,
 * plus an optional exact-match embedding) trained with libtorch, behind a small C ABI.
 *
 * Conventions
 * - Every function that can fail returns srt_status*: NULL means success; otherwise the caller owns the status
 *   and must pass it to srt_status_release. No C++ exception crosses this boundary.
 * - Handles are opaque; each *_create has a matching *_release (NULL is accepted and ignored).
 * - A trainer borrows its model: release the trainer before the model.
 * - Token arrays are int32, row-major [batch, seq]. Scores and parameters are float32.
 * - Thread safety: a model or trainer must not be used from two threads at once.
 * - Keep srt_code in sync with src/Train/Native/TrainerErrorCode.cs.
 */
#ifndef SRTRAIN_H
#define SRTRAIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define SRT_API __declspec(dllexport)
#else
#define SRT_API __attribute__((visibility("default")))
#endif

typedef struct srt_status srt_status;
typedef struct srt_model srt_model;
typedef struct srt_trainer srt_trainer;

typedef enum srt_code {
  SRT_OK = 0,
  SRT_INVALID_ARGUMENT = 1, /* a bad value from the caller: shape, name, option, label */
  SRT_NOT_FOUND = 2,        /* unknown parameter name */
  SRT_NON_FINITE = 3,       /* loss or gradient norm is NaN/Inf; no optimizer step was taken */
  SRT_IO = 4,               /* checkpoint file could not be read or written */
  SRT_DEVICE = 5,           /* requested device unavailable */
  SRT_INTERNAL = 6          /* any other libtorch/C++ error */
} srt_code;

/* ---- status ---- */
SRT_API int32_t srt_status_code(const srt_status* status);
SRT_API const char* srt_status_message(const srt_status* status); /* valid until release */
SRT_API const char* srt_status_file(const srt_status* status);    /* C++ source file that raised it */
SRT_API int32_t srt_status_line(const srt_status* status);
SRT_API void srt_status_release(srt_status* status);

/* ---- process-wide settings ---- */
/* Intra-op threads of libtorch (at::set_num_threads) and of OpenBLAS when it is the BLAS in use. With a seed and a
 * fixed thread count, CPU training is bitwise reproducible; different thread counts differ in the last bits. */
SRT_API srt_status* srt_set_num_threads(int32_t threads);
SRT_API srt_status* srt_cuda_available(int32_t* available);

/* ---- model ---- */
typedef struct srt_config {
  int64_t vocab_size;
  int64_t hidden_size;
  int64_t num_hidden_layers;
  int64_t num_attention_heads;
  int64_t intermediate_size;
  int64_t max_position_embeddings;
  int64_t type_vocab_size;
  int64_t pad_token_id;           /* its word-embedding row is initialised to zero */
  double layer_norm_eps;
  double hidden_dropout_prob;
  double attention_probs_dropout_prob;
  int32_t exact_match;            /* 1: adds bert.embeddings.exact_match_embeddings.weight [2, hidden] */
} srt_config;

/* device: "cpu", "cuda" (error SRT_DEVICE when unavailable) or "auto" (cuda when available, else cpu).
 * seed: at::manual_seed(seed) (the process-wide generators), then HF initialisation on the CPU (same weights on
 * every device): Linear/Embedding weights ~ N(0, 0.02), biases 0, pad row 0, LayerNorm weight 1, bias 0.
 * Dropout takes one draw per call from the same process-wide generator, so two models trained in one process at
 * the same time interleave their random streams. */
SRT_API srt_status* srt_model_create(const srt_config* config, uint64_t seed, const char* device, srt_model** model);
SRT_API void srt_model_release(srt_model* model);
/* 1 when the model lives on a CUDA device. */
SRT_API srt_status* srt_model_is_cuda(const srt_model* model, int32_t* is_cuda);

/* Parameters in a fixed order with Hugging Face names. name stays valid while the model lives. */
SRT_API srt_status* srt_model_parameter_count(const srt_model* model, int64_t* count);
SRT_API srt_status* srt_model_parameter_name(const srt_model* model, int64_t index, const char** name);
/* Writes up to capacity dimensions into shape and the true rank into rank. */
SRT_API srt_status* srt_model_parameter_shape(const srt_model* model, const char* name, int64_t* shape,
                                              int32_t capacity, int32_t* rank);
/* count must equal the parameter's element count. */
SRT_API srt_status* srt_model_get_parameter(const srt_model* model, const char* name, float* data, int64_t count);
SRT_API srt_status* srt_model_set_parameter(srt_model* model, const char* name, const float* data, int64_t count);

/* A batch of encoded pairs, all [batch, seq] int32. attention_mask 1 = token, 0 = padding.
 * exact_match_ids may be NULL (all zeros); it is ignored unless the model has the exact-match embedding. */
typedef struct srt_batch {
  const int32_t* input_ids;
  const int32_t* token_type_ids;
  const int32_t* attention_mask;
  const int32_t* exact_match_ids;
  int64_t batch;
  int64_t seq;
} srt_batch;

/* Eval mode (no dropout), no autograd. logits: [batch] floats. */
SRT_API srt_status* srt_model_forward(srt_model* model, const srt_batch* batch, float* logits);

/* ---- trainer ---- */
typedef enum srt_optimizer { SRT_OPTIMIZER_ADAMW = 0, SRT_OPTIMIZER_SGD = 1 } srt_optimizer;
typedef enum srt_schedule {
  SRT_SCHEDULE_LINEAR = 0,   /* linear warmup to lr over warmup_steps, then linear decay to 0 at total_steps */
  SRT_SCHEDULE_CONSTANT = 1  /* linear warmup, then constant lr */
} srt_schedule;

typedef struct srt_trainer_options {
  double learning_rate;
  double weight_decay;        /* AdamW decoupled decay; not applied to biases and LayerNorm weights (as HF) */
  double beta1;
  double beta2;
  double epsilon;
  int64_t warmup_steps;       /* optimizer steps */
  int64_t total_steps;        /* optimizer steps; used by SRT_SCHEDULE_LINEAR */
  int32_t accumulation_steps; /* micro-batches (srt_trainer_step calls) per optimizer step, >= 1 */
  double max_grad_norm;       /* global L2 clipping; <= 0 disables */
  int32_t optimizer;          /* srt_optimizer */
  int32_t schedule;           /* srt_schedule */
  int32_t dropout;            /* 1: train mode (dropout on); 0: eval mode while training */
} srt_trainer_options;

typedef enum srt_loss {
  SRT_LOSS_BCE = 0,          /* pointwise BCE with logits; labels in [0,1] */
  SRT_LOSS_LCE = 1,          /* softmax CE per group; the first of each group is the positive; labels unused */
  SRT_LOSS_RANKNET = 2,      /* per group, every (i,j) with label_i > label_j: log(1+exp(-(s_i-s_j))) */
  SRT_LOSS_LISTWISE_KL = 3,  /* per group, KL(softmax(labels/T) || softmax(s/T)) */
  SRT_LOSS_MARGIN_MSE = 4    /* per group, j>=1: ((s_0-s_j) - (label_0-label_j))^2 */
} srt_loss;

/* The batch is batch/group_size consecutive groups. labels: [batch] (targets or teacher scores), NULL only for LCE.
 * group_weights: NULL (all 1) or [batch/group_size]; the loss is mean over groups (BCE: over pairs; RankNet: over
 * pairs) of weight * term, so weights scale each group's contribution. temperature: LISTWISE_KL only (> 0). */
typedef struct srt_objective {
  int32_t loss;              /* srt_loss */
  int64_t group_size;
  const float* labels;
  const float* group_weights;
  double temperature;
} srt_objective;

SRT_API srt_status* srt_trainer_create(srt_model* model, const srt_trainer_options* options, srt_trainer** trainer);
SRT_API void srt_trainer_release(srt_trainer* trainer);

/* One micro-batch: forward (train or eval mode per options.dropout), loss, backward. Every accumulation_steps-th
 * call clips and applies an optimizer step. loss: the unscaled loss of this micro-batch.
 * Non-finite loss: SRT_NON_FINITE, nothing is accumulated. Non-finite gradient norm at the step: SRT_NON_FINITE,
 * the accumulated gradients are dropped and the weights stay untouched. */
SRT_API srt_status* srt_trainer_step(srt_trainer* trainer, const srt_batch* batch, const srt_objective* objective,
                                     double* loss);

/* step: optimizer steps taken; learning_rate: lr that the next optimizer step uses; grad_norm: global L2 norm
 * before clipping at the last optimizer step (0 before the first). */
SRT_API srt_status* srt_trainer_state(const srt_trainer* trainer, int64_t* step, double* learning_rate,
                                      double* grad_norm);
/* L2 norm of one parameter's gradient as left by the last micro-batch(es), after clipping when a step was taken
 * (kept until the next accumulation cycle starts). */
SRT_API srt_status* srt_trainer_grad_norm(const srt_trainer* trainer, const char* name, double* norm);

/* Trainer state only (optimizer moments, step counters, RNG state); the caller saves the weights.
 * Written atomically (temp file + rename). load requires the same model layout. */
SRT_API srt_status* srt_trainer_save(const srt_trainer* trainer, const char* path);
SRT_API srt_status* srt_trainer_load(srt_trainer* trainer, const char* path);

#ifdef __cplusplus
}
#endif

#endif
