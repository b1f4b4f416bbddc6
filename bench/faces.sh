#!/usr/bin/env bash
# iz-faces against faiss-cpu (IndexFlatIP, exact inner product) in the same run, same data,
# same thread count (1: OMP/OpenBLAS/faiss threads pinned to 1; Iz is single-threaded).
# Times are best-of-REPEATS thread CPU time on both sides (the machine is shared; see BENCHMARKS.md).
# 512-d L2-normalised random templates (seeded), 10,000 and 100,000 enrolled, 256 queries
# (128 noisy copies of enrolled rows, 128 random), k = 10. Single = one query per call.
# Checks top-1 rows: Iz exact == Iz quantised (always), Iz exact == faiss (or a float near-tie).
# Usage: bench/faces.sh [REPEATS]   (best of REPEATS timings; default 5)
# IZ_FACES_BIN=path skips building the example binary.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${1:-5}
VENV=$HOME/.cache/iz-bench-venv
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c "import faiss, numpy" 2>/dev/null || "$VENV/bin/pip" install -q faiss-cpu numpy
BIN=${IZ_FACES_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet -p iz-faces --example bench_faces
  BIN=${CARGO_TARGET_DIR:-target}/release/examples/bench_faces
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
"$VENV/bin/python" - "$WORK" "$BIN" "$REPEATS" <<'PY'
import json, platform, subprocess, sys, time
import numpy as np, faiss

work, binary, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
faiss.omp_set_num_threads(1)
D, N, NQ, K = 512, 100_000, 256, 10
rng = np.random.default_rng(42)
g = rng.standard_normal((N, D), dtype=np.float32)
g /= np.linalg.norm(g, axis=1, keepdims=True)
q = np.empty((NQ, D), dtype=np.float32)
q[: NQ // 2] = g[rng.integers(0, 10_000, NQ // 2)] + 0.03 * rng.standard_normal((NQ // 2, D), dtype=np.float32)
q[NQ // 2 :] = rng.standard_normal((NQ - NQ // 2, D), dtype=np.float32)
q /= np.linalg.norm(q, axis=1, keepdims=True)
g.tofile(f"{work}/gallery.f32"); q.tofile(f"{work}/queries.f32")

def best(f):
    # Best of `repeats`, in CPU seconds of this thread (time.thread_time): on a shared machine it
    # leaves out time other processes held the core. faiss runs on this thread (1 OpenMP thread,
    # OpenBLAS single-threaded); the Iz binary measures itself the same way
    # (CLOCK_THREAD_CPUTIME_ID).
    f(); t = float("inf")
    for _ in range(repeats):
        s = time.thread_time(); f(); t = min(t, time.thread_time() - s)
    return t

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
print(f"machine: {cpu}, {faiss.omp_get_max_threads()} faiss thread(s), Iz 1 thread; faiss {faiss.__version__}, numpy {np.__version__}")
rows = []
for n in (10_000, 100_000):
    index = faiss.IndexFlatIP(D); index.add(g[:n])
    t_single = best(lambda: [index.search(q[i : i + 1], K) for i in range(NQ)])
    t_batch = best(lambda: index.search(q, K))
    fd, fi = index.search(q, K)
    iz = json.loads(subprocess.run([binary, f"{work}/gallery.f32", f"{work}/queries.f32", str(D), str(n), str(repeats)],
                                   check=True, capture_output=True, text=True).stdout)
    ex, qu, qb = iz["top1"]["exact"], iz["top1"]["quantised"], iz["top1"]["quantised_batch"]
    assert ex == qu == qb, f"Iz quantised top-1 differs from Iz exact at n={n}"
    differ = [i for i in range(NQ) if ex[i] != fi[i, 0]]
    ties = [i for i in differ if abs(iz["top1_score_exact"][i] - fd[i, 0]) < 1e-5]
    assert len(differ) == len(ties), f"faiss top-1 differs beyond a near-tie at n={n}: {differ}"
    print(f"n={n}: top-1 identical Iz exact = Iz quantised = faiss on {NQ - len(differ)}/{NQ} queries"
          + (f" ({len(ties)} faiss/Iz differences are near-ties < 1e-5)" if ties else "") + f"; Iz backend {iz['backend']}")
    fq = {"single": NQ / t_single, "batch": NQ / t_batch}
    for mode in ("single", "batch"):
        for kind in ("exact", "quantised"):
            rows.append((n, mode, kind, iz["qps"][f"{kind}_{mode}"], fq[mode]))
print()
print("| enrolled | queries | Iz search | Iz queries/s | faiss IndexFlatIP queries/s | ratio Iz/faiss |")
print("|---:|---|---|---:|---:|---:|")
for n, mode, kind, iq, fq_ in rows:
    label = "1 per call" if mode == "single" else "256 per call"
    print(f"| {n:,} | {label} | {kind} | {iq:,.0f} | {fq_:,.0f} | {iq / fq_:.2f}× |")
PY
