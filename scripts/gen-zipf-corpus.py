#!/usr/bin/env python3
"""Writes a synthetic BEIR corpus.jsonl and a queries.tsv whose words follow a Zipf law.

Usage: gen-zipf-corpus.py DOCS OUT_DIR [--vocabulary 200000] [--exponent 1.07] [--queries 200] [--seed 1]

The 33 most frequent ranks are the English stopwords (as in real English text, where the head of the Zipf curve is
function words, which the analyzer removes); the other words are letter strings made from their rank;
document lengths are uniform in [20, 120] words (titles 3-10 words); queries have 2-6 non-stopword words drawn from the
same distribution, like short keyword queries. Deterministic for a given seed.
"""
import argparse, itertools, json, os, random

def word(rank):
    # Bijective base-26 with a consonant-vowel pattern keeps words pronounceable and mostly unchanged by stemming.
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
    out = []
    n = rank
    while True:
        n, c = divmod(n, len(consonants))
        n, v = divmod(n, len(vowels))
        out.append(consonants[c] + vowels[v])
        if n == 0:
            break
        n -= 1
    return "".join(out) + "q"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("docs", type=int)
    ap.add_argument("out")
    ap.add_argument("--vocabulary", type=int, default=200_000)
    ap.add_argument("--exponent", type=float, default=1.07)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    stop = ("the of and to a in is it that for on with as was be by at this are or but not they an "
            "their if there such these will into then no").split()
    words = stop + [word(r) for r in range(a.vocabulary - len(stop))]
    cum = list(itertools.accumulate(1.0 / (r + 1) ** a.exponent for r in range(a.vocabulary)))
    content_cum = [c - cum[len(stop) - 1] for c in cum[len(stop):]]
    os.makedirs(a.out, exist_ok=True)
    tmp = os.path.join(a.out, "corpus.jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for i in range(a.docs):
            title = rng.choices(words, cum_weights=cum, k=rng.randint(3, 10))
            text = rng.choices(words, cum_weights=cum, k=rng.randint(20, 120))
            f.write(json.dumps({"_id": f"d{i}", "title": " ".join(title), "text": " ".join(text)}) + "\n")
    os.replace(tmp, os.path.join(a.out, "corpus.jsonl"))
    with open(os.path.join(a.out, "queries.tsv"), "w", encoding="utf-8") as f:
        for q in range(a.queries):
            # Query words skip the stopword head, so every query has terms to search (as real keyword queries do).
            terms = rng.choices(words[len(stop):], cum_weights=content_cum, k=rng.randint(2, 6))
            f.write(f"q{q}\t{' '.join(terms)}\n")

if __name__ == "__main__":
    main()
