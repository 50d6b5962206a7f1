#!/usr/bin/env python3
"""Splits test queries by whether a relevant document of theirs is a judged positive of the training qrels.

A cross-encoder trained from scratch on a few hundred queries can learn which documents were positives (a document
prior) instead of relevance: then it gains on test queries that cite the same documents and loses on the others.
For every run of the eval JSON files given (`eval --json`, e.g. scripts/eval-models.sh's OUT/scifact-eval.json)
this prints mean nDCG@10 (or --metric) on the two groups of test queries and the whole.
Usage: scripts/prior-split.py --train-qrels TRAIN.tsv --test-qrels TEST.tsv EVAL.json...
"""
import argparse, json
from collections import defaultdict


def positives(path):
    judged = defaultdict(set)
    with open(path) as lines:
        for line in lines:
            fields = line.split()
            if len(fields) >= 3 and fields[0] != "query-id" and int(fields[-1]) > 0:
                judged[fields[0]].add(fields[-2])
    return judged


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-qrels", required=True)
    parser.add_argument("--test-qrels", required=True)
    parser.add_argument("--metric", default="ndcg_cut_10")
    parser.add_argument("reports", nargs="+")
    args = parser.parse_args()
    seen = set().union(*positives(args.train_qrels).values())
    test = positives(args.test_qrels)
    shared = sorted(q for q in test if test[q] & seen)
    unseen = sorted(q for q in test if not test[q] & seen)
    print(f"| run | shared positives ({len(shared)} queries) | unseen positives ({len(unseen)}) | all ({len(test)}) |")
    print("| --- | ---: | ---: | ---: |")
    done = set()
    for path in args.reports:
        with open(path) as f:
            runs = json.load(f)["runs"]
        for name, run in runs.items():
            if name in done:
                continue
            done.add(name)
            per_query = run["per_query"][args.metric]
            mean = lambda ids: sum(per_query.get(q, 0.0) for q in ids) / len(ids)
            print(f"| {name} | {mean(shared):.4f} | {mean(unseen):.4f} | {mean(list(test)):.4f} |")


if __name__ == "__main__":
    main()
