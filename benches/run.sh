#!/usr/bin/env bash
# Benchmarks bdtx against the raw-read floor and two Python peers on generated districts.
#   bash benches/run.sh [N ...]        (default: 100 1000 10000 schools)
# Peers run only up to PEER_MAX schools (default 1000; pandas takes minutes beyond that).
# Each tool runs RUNS times (default 3); the run with the median wall time is reported, so one
# slow run on a shared machine does not decide a ratio.
# Needs python3; installs pandas, openpyxl, polars and fastexcel into a venv under ~/.cache.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bdtx-target}"
sizes=("${@:-100 1000 10000}")
[ $# -eq 0 ] && sizes=(100 1000 10000)
peer_max=${PEER_MAX:-1000}
runs=${RUNS:-3}
work=${BENCH_DIR:-$HOME/.cache/bdtx-bench}
mkdir -p "$work"

venv="$HOME/.cache/bdtx-bench-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pandas openpyxl polars fastexcel
fi

cargo build --release -q
bdtx="$CARGO_TARGET_DIR/release/bdtx"
floor=$(cargo bench --bench floor --no-run --message-format=json 2>/dev/null |
  "$venv/bin/python" -c 'import sys,json
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="floor" and m.get("executable"): print(m["executable"])' | tail -1)

# "wall_seconds peak_rss_kb" of the median line of a times file
median() {
  sort -n "$1" | sed -n "$(( (runs + 1) / 2 ))p"
}

# time CMD... -> "wall_seconds peak_rss_kb" of the median of $runs runs
measure() {
  : > "$work/times.txt"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/stdout.txt"
    cat "$work/time.txt" >> "$work/times.txt"
  done
  median "$work/times.txt"
}

# Runs bdtx and the floor alternately, so that a change in the machine's speed touches both
# alike; sets t_bdtx m_bdtx t_floor m_floor (medians) and pairs (bdtx ÷ floor, run by run).
measure_pair() {
  : > "$work/times_bdtx.txt"
  : > "$work/times_floor.txt"
  pairs=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bdtx" run --input "$dir" --output "$work/o$n" --year 2024-2025 > /dev/null
    cat "$work/time.txt" >> "$work/times_bdtx.txt"
    read -r tb _ < "$work/time.txt"
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$floor" "$dir" > /dev/null
    cat "$work/time.txt" >> "$work/times_floor.txt"
    read -r tf _ < "$work/time.txt"
    pairs="$pairs $(awk "BEGIN{printf \"%.2f\", $tb/$tf}")"
  done
  read -r t_bdtx m_bdtx < <(median "$work/times_bdtx.txt")
  read -r t_floor m_floor < <(median "$work/times_floor.txt")
}

echo "| schools | files | data rows | tool | wall s | peak RSS MB | files/s | rows/s | bdtx ÷ tool |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  dir="$work/d$n"
  [ -f "$dir/danh_muc_truong.xlsx" ] || "$bdtx" sample --schools "$n" --seed 1 --no-problems --out "$dir" > /dev/null
  measure_pair
  files=$("$venv/bin/python" -c "import json;print(len(json.load(open('$work/o$n/2024-2025/summary.json'))['files']['read']))")
  rows=$("$venv/bin/python" -c "import json;print(sum(v['data'] for v in json.load(open('$work/o$n/2024-2025/summary.json'))['rows'].values()))")
  results=("floor (raw calamine read)|$t_floor|$m_floor" "bdtx run|$t_bdtx|$m_bdtx")
  if [ "$n" -le "$peer_max" ]; then
    for peer in pandas_openpyxl polars_fastexcel; do
      read -r t m < <(measure "$venv/bin/python" "benches/peers/$peer.py" "$dir")
      cp "$work/stdout.txt" "$work/$peer-$n.json"
      # The peers must agree with bdtx on every school's staff counts before any time counts.
      "$venv/bin/python" - "$work/o$n/2024-2025/summary.json" "$work/$peer-$n.json" <<'PY'
import json, sys
summary, peer = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = []
for s in summary["schools"]:
    got = peer.get(s["code"], {})
    want = {k: s["staff"][k] for k in ("total", "managers", "teachers", "support")}
    if any(got.get(k, 0) != v for k, v in want.items()):
        bad.append((s["code"], want, got))
if bad:
    sys.exit(f"peer disagrees with bdtx on {len(bad)} schools, e.g. {bad[:2]}")
PY
      results+=("$peer|$t|$m")
    done
  fi
  for r in "${results[@]}"; do
    IFS='|' read -r tool t m <<< "$r"
    echo "| $n | $files | $rows | $tool | $t | $((m / 1024)) | $(awk "BEGIN{printf \"%.0f\", $files/$t}") | $(awk "BEGIN{printf \"%.0f\", $rows/$t}") | $(awk "BEGIN{printf \"%.2f\", $t_bdtx/$t}") |"
  done
  echo "| $n | | | bdtx ÷ floor, run by run:$pairs | | | | | |"
done
