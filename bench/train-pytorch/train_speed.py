#!/usr/bin/python3
"""Training throughput of a BERT cross-encoder in eager PyTorch: the baseline the former C++ engine was measured
against (docs/training.md, "Before issue #11").

The model is a plain re-implementation of Hugging Face BertForSequenceClassification (one label) with the same
arithmetic as src/Train/Modeling; the loop is LCE over groups of pairs with AdamW (weight decay 0.01
except biases and LayerNorm weights), linear warmup/decay, grad-norm clipping at 10, dropout on.
Run with Debian's python3-torch:  /usr/bin/python3 bench/train-pytorch/train_speed.py --threads 2
"""
import argparse
import math
import time

import torch
from torch import nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, h, heads, inter, eps, p_hidden, p_attention):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attention_out, self.attention_norm = nn.Linear(h, h), nn.LayerNorm(h, eps=eps)
        self.intermediate, self.output = nn.Linear(h, inter), nn.Linear(inter, h)
        self.output_norm = nn.LayerNorm(h, eps=eps)
        self.hidden_dropout, self.attention_dropout = nn.Dropout(p_hidden), nn.Dropout(p_attention)

    def forward(self, x, additive_mask):
        b, s, h = x.shape
        split = lambda t: t.view(b, s, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(h // self.heads) + additive_mask
        probs = self.attention_dropout(torch.softmax(scores, dim=-1))
        context = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, h)
        x = self.attention_norm(self.hidden_dropout(self.attention_out(context)) + x)
        inner = F.gelu(self.intermediate(x))
        return self.output_norm(self.hidden_dropout(self.output(inner)) + x)


class CrossEncoder(nn.Module):
    def __init__(self, vocab=30522, h=128, layers=2, heads=2, inter=512, positions=512, types=2, eps=1e-12, p=0.1):
        super().__init__()
        self.word = nn.Embedding(vocab, h, padding_idx=0)
        self.position = nn.Embedding(positions, h)
        self.token_type = nn.Embedding(types, h)
        self.norm = nn.LayerNorm(h, eps=eps)
        self.dropout = nn.Dropout(p)
        self.layers = nn.ModuleList(Layer(h, heads, inter, eps, p, p) for _ in range(layers))
        self.pooler = nn.Linear(h, h)
        self.classifier = nn.Linear(h, 1)

    def forward(self, ids, types, mask):
        s = ids.shape[1]
        x = self.word(ids) + self.token_type(types) + self.position.weight[:s]
        x = self.dropout(self.norm(x))
        additive_mask = ((1.0 - mask.to(x.dtype)) * torch.finfo(torch.float32).min)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, additive_mask)
        pooled = self.dropout(torch.tanh(self.pooler(x[:, 0])))
        return self.classifier(pooled).squeeze(-1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--groups", type=int, default=4, help="groups per optimizer step")
    parser.add_argument("--group-size", type=int, default=8)
    parser.add_argument("--length", type=int, default=192)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1234)
    model = CrossEncoder()
    model.train()
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "norm" in n.split(".")[-2]]
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "norm" in n.split(".")[-2])]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=2e-5, eps=1e-8)
    total = args.warmup + args.steps
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / 2) * max(0.0, (total - step) / total))

    rows = args.groups * args.group_size
    generator = torch.Generator().manual_seed(7)
    batches = []
    for _ in range(total):
        ids = torch.randint(1000, 30522, (rows, args.length), generator=generator)
        ids[:, 0], ids[:, 20], ids[:, -1] = 101, 102, 102
        types = torch.zeros_like(ids)
        types[:, 21:] = 1
        batches.append((ids, types, torch.ones_like(ids)))

    def step(batch):
        scores = model(*batch).view(args.groups, args.group_size)
        loss = -torch.log_softmax(scores, dim=1)[:, 0].mean()
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        optimizer.step()
        schedule.step()
        return loss.item()

    for batch in batches[:args.warmup]:
        step(batch)
    start, start_cpu = time.perf_counter(), time.process_time()
    for batch in batches[args.warmup:]:
        step(batch)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    pairs = args.steps * rows
    # CPU seconds (all threads) are reported too: on a shared machine they vary far less than wall time.
    print(f"pytorch {torch.__version__} threads={args.threads} batch={rows} ({args.groups}x{args.group_size}) "
          f"length={args.length} steps={args.steps}: {elapsed:.2f} s, {pairs / elapsed:.1f} pairs/s, "
          f"{1000 * elapsed / args.steps:.0f} ms/step; {cpu:.2f} CPU s, {pairs / cpu:.1f} pairs/CPU-s")


if __name__ == "__main__":
    main()
