#!/usr/bin/env python3
"""Compare name-matching methods on eval/names/pairs.csv.

Each method is a CSV with header a,b,score in the same row order as pairs.csv
(checked).  For every method: ROC AUC (rank-based Mann-Whitney, ties counted as
one half) and recall at precision 0.99 (the best recall over all thresholds
whose precision is >= 0.99), on the whole set, on the set without the
`alias_other_name` kind, and per kind.

A kind holds only positives or only negatives, so per kind:
  * positive kind: AUC of that kind's positives against ALL negatives, and the
    share of the kind's positives at or above the method's overall P0.99
    threshold (its recall there);
  * negative kind: AUC of ALL positives against that kind's negatives, and the
    share of the kind's negatives at or above that threshold (its false-positive
    rate there; lower is better).

Standard library only.
"""
import argparse
import csv
import datetime
import hashlib
import os
import platform
import subprocess
import sys
from collections import defaultdict

TARGET_P = 0.99


def auc(pos, neg):
    """P(score_pos > score_neg) + 0.5 P(equal), via average ranks."""
    if not pos or not neg:
        return float("nan")
    allv = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum = 0.0
    i = 0
    n = len(allv)
    while i < n:
        j = i
        while j < n and allv[j][0] == allv[i][0]:
            j += 1
        avg = (i + 1 + j) / 2.0  # ranks i+1..j
        rank_sum += avg * sum(1 for k in range(i, j) if allv[k][1] == 1)
        i = j
    npos, nneg = len(pos), len(neg)
    return (rank_sum - npos * (npos + 1) / 2.0) / (npos * nneg)


def recall_at_precision(scores, labels, target=TARGET_P):
    """(best recall, threshold) over thresholds t (predict 1 iff score >= t) with precision >= target.
    Thresholds are the distinct scores, so tied scores are never split.  (0, inf) when none qualifies."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    npos = sum(labels)
    tp = fp = 0
    best, thr = 0.0, float("inf")
    i = 0
    while i < len(order):
        s = scores[order[i]]
        while i < len(order) and scores[order[i]] == s:
            if labels[order[i]]:
                tp += 1
            else:
                fp += 1
            i += 1
        if tp + fp and tp / (tp + fp) >= target and npos and tp / npos > best:
            best, thr = tp / npos, s
    return best, thr


def selftest():
    assert auc([1, 0.5], [0.5, 0]) == 0.875
    assert auc([1, 1], [1, 1]) == 0.5
    assert auc([0.2], [0.1, 0.3]) == 0.5
    assert recall_at_precision([0.9, 0.8, 0.7], [1, 0, 1]) == (0.5, 0.9)
    assert recall_at_precision([0.9, 0.9, 0.7], [1, 0, 1]) == (0.0, float("inf"))  # ties not split
    assert recall_at_precision([0.9, 0.8, 0.7], [1, 1, 0]) == (1.0, 0.8)
    print("evaluate.py selftest: 6 passed, 0 failed")


def bootstrap(scores, labels, n, seed=7):
    """95% percentile intervals of (AUC, recall@P0.99), resampling positives and negatives
    separately (the set's balance is kept)."""
    import random
    rng = random.Random(seed)
    pos = [s for s, l in zip(scores, labels) if l]
    neg = [s for s, l in zip(scores, labels) if not l]
    aucs, recs = [], []
    for _ in range(n):
        p = rng.choices(pos, k=len(pos))
        q = rng.choices(neg, k=len(neg))
        aucs.append(auc(p, q))
        recs.append(recall_at_precision(p + q, [1] * len(p) + [0] * len(q))[0])
    aucs.sort()
    recs.sort()
    lo, hi = int(0.025 * n), min(n - 1, int(0.975 * n))
    return (aucs[lo], aucs[hi]), (recs[lo], recs[hi])


def load_pairs(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_scores(path, pairs, name):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != len(pairs):
        sys.exit(f"{name}: {len(rows)} scores for {len(pairs)} pairs")
    out = []
    for i, (r, p) in enumerate(zip(rows, pairs)):
        if r["a"] != p["a"] or r["b"] != p["b"]:
            sys.exit(f"{name}: row {i + 2} is ({r['a']!r}, {r['b']!r}), expected ({p['a']!r}, {p['b']!r})")
        try:
            s = float(r["score"])
        except (TypeError, ValueError):
            sys.exit(f"{name}: row {i + 2} has no numeric score ({r.get('score')!r})")
        if not 0.0 <= s <= 1.0:
            sys.exit(f"{name}: row {i + 2} score {s} outside [0,1]")
        out.append(s)
    return out


def fmt(x, nd=3):
    return "—" if x != x else f"{x:.{nd}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs")
    ap.add_argument("--method", action="append", default=[], metavar="NAME=FILE")
    ap.add_argument("--out", help="write the Markdown report here too")
    ap.add_argument("--worst", help="method whose worst pairs to list", default=None)
    ap.add_argument("--nworst", type=int, default=15)
    ap.add_argument("--command", default=" ".join(sys.argv))
    ap.add_argument("--note", action="append", default=[])
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--bootstrap", type=int, default=200, help="resamples for the 95%% intervals (0: none)")
    args = ap.parse_args()
    if args.selftest:
        return selftest()

    pairs = load_pairs(args.pairs)
    labels = [int(p["label"]) for p in pairs]
    kinds = [p["kind"] for p in pairs]
    methods = []
    for m in args.method:
        name, path = m.split("=", 1)
        methods.append((name, load_scores(path, pairs, name)))
    if not methods:
        sys.exit("no --method given")

    L = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=os.path.dirname(os.path.abspath(args.pairs))).stdout.strip()
    except OSError:
        rev = ""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    L.append("# Name matching: evaluation results")
    L.append("")
    L.append(f"- date: {now}")
    L.append(f"- machine: {platform.node()} · {platform.system()} {platform.release()} · {cpu} · "
             f"{os.cpu_count()} CPUs · Python {platform.python_version()}")
    L.append(f"- repo revision: {rev or 'unknown'} (working tree may differ)")
    L.append(f"- command: `{args.command}`")
    for n in args.note:
        L.append(f"- {n}")
    npos, nneg = sum(labels), len(labels) - sum(labels)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(args.pairs, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    L.append(f"- pairs: {len(pairs)} ({npos} same person, {nneg} different people), "
             f"file `{os.path.relpath(os.path.abspath(args.pairs), root)}` (sha256 {digest}…)")
    L.append("")

    core = [k != "alias_other_name" for k in kinds]
    thresholds = {}
    L.append("## Overall")
    L.append("")
    L.append("| method | AUC | recall@P0.99 | threshold | AUC w/o alias_other_name | recall@P0.99 w/o alias_other_name | n |")
    L.append("|---|---|---|---|---|---|---|")
    ci_rows = []
    for name, sc in methods:
        pos = [s for s, l in zip(sc, labels) if l]
        neg = [s for s, l in zip(sc, labels) if not l]
        a = auc(pos, neg)
        r, t = recall_at_precision(sc, labels)
        thresholds[name] = t
        sc2 = [s for s, c in zip(sc, core) if c]
        lb2 = [l for l, c in zip(labels, core) if c]
        a2 = auc([s for s, l in zip(sc2, lb2) if l], [s for s, l in zip(sc2, lb2) if not l])
        r2, _ = recall_at_precision(sc2, lb2)
        L.append(f"| {name} | {fmt(a)} | {fmt(r)} | {fmt(t, 4)} | {fmt(a2)} | {fmt(r2)} | {len(sc)} |")
        if args.bootstrap:
            (alo, ahi), (rlo, rhi) = bootstrap(sc, labels, args.bootstrap)
            ci_rows.append(f"| {name} | {fmt(alo)}–{fmt(ahi)} | {fmt(rlo)}–{fmt(rhi)} |")
    L.append("")
    if ci_rows:
        L.append(f"95% bootstrap intervals ({args.bootstrap} resamples of the positives and of the negatives, whole set):")
        L.append("")
        L.append("| method | AUC | recall@P0.99 |")
        L.append("|---|---|---|")
        L.extend(ci_rows)
        L.append("")

    by_kind = defaultdict(list)
    for i, k in enumerate(kinds):
        by_kind[k].append(i)
    order = sorted(by_kind, key=lambda k: (-labels[by_kind[k][0]], k))
    L.append("## Per kind: AUC")
    L.append("")
    L.append("Positive kinds: the kind's pairs against all negatives. Negative kinds: all positives against the kind's pairs.")
    L.append("")
    L.append("| kind | label | n | " + " | ".join(n for n, _ in methods) + " |")
    L.append("|---|---|---|" + "---|" * len(methods))
    for k in order:
        idx = by_kind[k]
        lab = labels[idx[0]]
        cells = []
        for name, sc in methods:
            if lab:
                a = auc([sc[i] for i in idx], [s for s, l in zip(sc, labels) if not l])
            else:
                a = auc([s for s, l in zip(sc, labels) if l], [sc[i] for i in idx])
            cells.append(fmt(a))
        L.append(f"| {k} | {lab} | {len(idx)} | " + " | ".join(cells) + " |")
    L.append("")
    L.append("## Per kind at each method's overall P0.99 threshold")
    L.append("")
    L.append("Positive kinds: recall (share of the kind's pairs at or above the threshold; higher is better). "
             "Negative kinds: false-positive rate (share at or above it; lower is better).")
    L.append("")
    L.append("| kind | label | n | " + " | ".join(n for n, _ in methods) + " |")
    L.append("|---|---|---|" + "---|" * len(methods))
    for k in order:
        idx = by_kind[k]
        lab = labels[idx[0]]
        cells = []
        for name, sc in methods:
            t = thresholds[name]
            share = sum(1 for i in idx if sc[i] >= t) / len(idx)
            cells.append(fmt(share))
        L.append(f"| {k} | {lab} | {len(idx)} | " + " | ".join(cells) + " |")
    L.append("")

    if args.worst:
        sc = dict(methods).get(args.worst)
        if sc is not None:
            t = thresholds[args.worst]
            fn = sorted((i for i in range(len(sc)) if labels[i] and kinds[i] != "alias_other_name"), key=lambda i: sc[i])
            fp = sorted((i for i in range(len(sc)) if not labels[i]), key=lambda i: -sc[i])
            L.append(f"## Worst pairs for {args.worst} (threshold at P0.99: {fmt(t, 4)})")
            L.append("")
            L.append("False negatives: same person, lowest scores (alias_other_name left out: those are different names, not spellings).")
            L.append("")
            L.append("| score | kind | a | b |")
            L.append("|---|---|---|---|")
            for i in fn[:args.nworst]:
                L.append(f"| {sc[i]:.3f} | {kinds[i]} | {pairs[i]['a']} | {pairs[i]['b']} |")
            L.append("")
            L.append("Worst two of each kind (lowest for a same-person kind, highest for a different-people kind):")
            L.append("")
            L.append("| score | kind | a | b |")
            L.append("|---|---|---|---|")
            for k in order:
                idx = by_kind[k]
                lab = labels[idx[0]]
                worst = sorted(idx, key=lambda i: sc[i] if lab else -sc[i])[:2]
                for i in worst:
                    L.append(f"| {sc[i]:.3f} | {k} | {pairs[i]['a']} | {pairs[i]['b']} |")
            L.append("")
            L.append("False positives: different people, highest scores.")
            L.append("")
            L.append("| score | kind | a | b |")
            L.append("|---|---|---|---|")
            for i in fp[:args.nworst]:
                L.append(f"| {sc[i]:.3f} | {kinds[i]} | {pairs[i]['a']} | {pairs[i]['b']} |")
            L.append("")

    text = "\n".join(L)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
