#!/usr/bin/env bash
# Name-matching evaluation: Iz (`iz names score`) against rapidfuzz peers on the
# same pairs in the same run.  Writes eval/names/results.md.
#
#   bash eval/names/run.sh            # everything
#   IZ_SKIP=1 bash eval/names/run.sh  # peers only (no cargo build)
#   REBUILD_SET=1 bash eval/names/run.sh  # regenerate pairs.csv from the pinned source first
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${IZ_EVAL_VENV:-$HOME/.cache/iz-eval-venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/iz-target}"
PAIRS="$HERE/pairs.csv"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/iz-names-eval.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# 1. Python venv with the pinned peers
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  "rapidfuzz==3.9.7" "Unidecode==1.3.8"
PY="$VENV/bin/python"

# 2. The evaluation set (committed; REBUILD_SET=1 regenerates it from the pinned wheel)
if [ "${REBUILD_SET:-0}" = 1 ] || [ ! -s "$PAIRS" ]; then
  "$PY" "$HERE/build_set.py" --out "$PAIRS"
fi
NPAIRS=$(($(wc -l < "$PAIRS") - 1))
echo "pairs: $NPAIRS ($PAIRS)" >&2

METHODS=()
NOTES=()

# 3. Iz
if [ "${IZ_SKIP:-0}" != 1 ]; then
  (cd "$ROOT" && cargo build --release --bin iz)
  IZ="$CARGO_TARGET_DIR/release/iz"
  start=$(date +%s%N)
  "$IZ" names score --input "$PAIRS" > "$WORK/iz.csv"
  end=$(date +%s%N)
  secs=$(( (end - start) / 1000000 ))
  METHODS+=(--method "iz=$WORK/iz.csv")
  NOTES+=(--note "iz: \`iz names score --input eval/names/pairs.csv\` ($("$IZ" --version 2>/dev/null || echo iz)), ${secs} ms wall for $NPAIRS pairs incl. process start")
fi

# 4. Peers, same pairs, same run
start=$(date +%s%N)
"$PY" "$HERE/peers.py" --input "$PAIRS" --outdir "$WORK"
end=$(date +%s%N)
NOTES+=(--note "peers: rapidfuzz $("$PY" -c 'import rapidfuzz;print(rapidfuzz.__version__)') on unidecode $("$PY" -c 'import importlib.metadata as m;print(m.version("Unidecode"))') + rapidfuzz default_process of both sides, score/100; all four peers $(( (end - start) / 1000000 )) ms")
for m in rapidfuzz.token_sort_ratio rapidfuzz.token_set_ratio rapidfuzz.WRatio exact_match_baseline; do
  METHODS+=(--method "$m=$WORK/$m.csv")
done

WORST=()
if [ "${IZ_SKIP:-0}" != 1 ]; then WORST=(--worst iz --nworst 15); fi

# 5. Metrics
"$PY" "$HERE/evaluate.py" --pairs "$PAIRS" "${METHODS[@]}" "${WORST[@]}" "${NOTES[@]}" \
  --command "bash eval/names/run.sh" --out "$HERE/results.md"
echo "wrote $HERE/results.md" >&2
