#!/usr/bin/env python3
"""Table of iz vs baselines on AMLSim samples. Usage: evaluate.py IZ DIR... (standard library only)."""
import bisect, collections, csv, subprocess, sys, time

def auc(y, score):
    pos = [score.get(k, 0.0) for k, v in y.items() if v]
    neg = sorted(score.get(k, 0.0) for k, v in y.items() if not v)
    tot = 0.0
    for p in pos:
        lo, hi = bisect.bisect_left(neg, p), bisect.bisect_right(neg, p)
        tot += lo + (hi - lo) / 2
    return tot / (len(pos) * len(neg))

def p_at_k(y, score):
    k = sum(y.values())
    top = sorted(y, key=lambda a: -score.get(a, 0.0))[:k]
    return sum(y[a] for a in top) / k

iz, dirs = sys.argv[1], sys.argv[2:]
print(f"| sample | accounts | fraud (k) | iz AUC | iz P@k | fan_in AUC | fan_in P@k | degree AUC | degree P@k | iz s |")
print("|---|---|---|---|---|---|---|---|---|---|")
for d in dirs:
    y = {r['nodeid']: int(r['isFraud']) for r in csv.DictReader(open(f"{d}/nodes.csv"))}
    indeg, outdeg, senders = collections.Counter(), collections.Counter(), collections.defaultdict(set)
    for r in csv.DictReader(open(f"{d}/transactions.csv")):
        indeg[r['targetNodeId']] += 1; outdeg[r['sourceNodeId']] += 1; senders[r['targetNodeId']].add(r['sourceNodeId'])
    fan_in = {a: len(senders[a]) for a in y}
    degree = {a: indeg[a] + outdeg[a] for a in y}
    t0 = time.time()
    out = subprocess.run([iz, 'fraud', 'score-accounts', '--amlsim', d], capture_output=True, text=True, check=True).stdout
    el = time.time() - t0
    got = {r['account']: float(r['score']) for r in csv.DictReader(out.splitlines())}
    name = d.rstrip('/').split('/')[-1]
    print(f"| {name} | {len(y)} | {sum(y.values())} | {auc(y, got):.3f} | {p_at_k(y, got):.3f} | "
          f"{auc(y, fan_in):.3f} | {p_at_k(y, fan_in):.3f} | {auc(y, degree):.3f} | {p_at_k(y, degree):.3f} | {el:.2f} |")
