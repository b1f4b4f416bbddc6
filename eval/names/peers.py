#!/usr/bin/env python3
"""Score eval/names/pairs.csv with the peer methods; one CSV (a,b,score) per method.

Peers: rapidfuzz's fuzz.token_sort_ratio, fuzz.token_set_ratio and fuzz.WRatio on
both sides after unidecode transliteration and rapidfuzz's default_process
(lower-case, non-alphanumerics to spaces), score/100; and a trivial baseline,
exact match after the same normalisation (1 or 0).
"""
import argparse
import csv
import sys
from pathlib import Path

from rapidfuzz import fuzz, utils
from unidecode import unidecode

METHODS = {
    "rapidfuzz.token_sort_ratio": fuzz.token_sort_ratio,
    "rapidfuzz.token_set_ratio": fuzz.token_set_ratio,
    "rapidfuzz.WRatio": fuzz.WRatio,
}


def norm(s: str) -> str:
    return utils.default_process(unidecode(s))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--outdir", required=True)
    args = ap.parse_args()
    with open(args.input, newline="", encoding="utf-8") as f:
        rows = [(r["a"], r["b"]) for r in csv.DictReader(f)]
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    normed = [(norm(a), norm(b)) for a, b in rows]
    scorers = dict(METHODS)
    scorers["exact_match_baseline"] = lambda x, y: 100.0 if x == y else 0.0
    for name, fn in scorers.items():
        with open(out / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["a", "b", "score"])
            for (a, b), (x, y) in zip(rows, normed):
                w.writerow([a, b, f"{fn(x, y) / 100.0:.6f}"])
        print(f"peers: wrote {out / (name + '.csv')}", file=sys.stderr)


if __name__ == "__main__":
    main()
