#!/usr/bin/env bash
# AMLSim evaluation of `iz fraud score-accounts`: per sample, iz's ROC AUC and precision@k
# (k = number of labelled fraud accounts) against the degree baselines, computed in the same
# run from the same files. Labels are read here only, never by iz.
# Usage: eval/fraud/run.sh [IZ_BINARY]   (from the repository root; builds iz when not given)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
iz=${1:-}
if [[ -z $iz ]]; then
  (cd "$root" && cargo build --release --quiet -p iz)
  iz=${CARGO_TARGET_DIR:-$root/target}/release/iz
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for s in 20K_fanin200 20K_cycle200 20K_fanin200cycle200; do
  tar xzf "$root/../shared/data/amlsim/$s.tgz" -C "$work" 2>/dev/null \
    || tar xzf "/work/shared/data/amlsim/$s.tgz" -C "$work"
done
python3 "$root/eval/fraud/evaluate.py" "$iz" "$work"/20K_fanin200 "$work"/20K_cycle200 "$work"/20K_fanin200cycle200
