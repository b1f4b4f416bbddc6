#!/usr/bin/env bash
# iz-geo vs shapely 2 STRtree and PostGIS ST_Covers, same data, same run. See BENCHMARKS.md.
# Usage: bench/geo.sh [N_POINTS=1000000] [N_POSTGIS_POINTS=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
T=${CARGO_TARGET_DIR:-$HOME/.cache/iz-target}
cargo build --release --quiet --bin iz -p iz
cargo build --release --quiet -p iz-geo --example locate_timed
VENV=$HOME/.cache/iz-geo-venv
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import shapely, numpy, psycopg2' 2>/dev/null || "$VENV/bin/pip" install -q 'shapely>=2' numpy psycopg2-binary
if ! psql -h 127.0.0.1 -U postgres -d test -Atc "SELECT 1 FROM pg_available_extensions WHERE name='postgis'" 2>/dev/null | grep -q 1; then
  apt-get install -y -q postgresql-15-postgis-3 >/dev/null || echo "PostGIS could not be installed; its row is skipped"
fi
OUT=${TMPDIR:-/tmp}/iz-geo-bench
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
"$VENV/bin/python" bench/geo.py "$T/release/iz" "$T/release/examples/locate_timed" data/geo/kz-adm1.geojson "$OUT" "${1:-1000000}" "${2:-100000}"
