#!/usr/bin/env bash
# Throughput of `latte sweep` on 1, 2 and 3 member JVMs of this machine (docs/cluster.md#scaling).
#
# The same grid of small cells is swept with --local-members 1, 2, 3: one cell per member at a
# time (--slots 1) on one kernel thread (--threads 1). The cells have a wall-clock budget, so a
# cell takes the same time however many share the cores, and what is measured is how well the
# cluster keeps its members busy: efficiency(N) = T(1) / (N * T(N)), the target >= 0.8. Run it on
# a quiet machine with at least 3 cores to also keep the cells' work per cell equal (the script
# prints the environment steps per cell, so a loss of work to shared cores shows).
#
# Usage: scripts/sweep-scaling.sh [OUT]      (default OUT: runs/sweep-scaling)
#   CELLS=12 MINUTES=1 MEMBERS="1 2 3" AGENT=planet ENV=Pendulum-v1 PRESET=debug   the defaults
#   LATTE="java ... latte.cli.Main"                                              another launcher
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-runs/sweep-scaling}"
cells="${CELLS:-12}"; minutes="${MINUTES:-1}"; members="${MEMBERS:-1 2 3}"
agent="${AGENT:-planet}"; env="${ENV:-Pendulum-v1}"; preset="${PRESET:-debug}"
read -r -a latte <<< "${LATTE:-$root/latte}"
mkdir -p "$out"
printf '%-8s %-10s %-12s %-14s %s\n' members seconds cells/hour efficiency "env steps per cell (mean)"
t1=""
for n in $members; do
  dir="$out/members-$n"
  rm -rf "$dir"
  start=$(date +%s.%N)
  "${latte[@]}" sweep --agents "$agent" --envs "$env" --seeds "0-$((cells - 1))" --preset "$preset" --minutes "$minutes" \
      --local-members "$n" --slots 1 --threads 1 --cluster "scaling-$n" --out "$dir" > "$out/members-$n.log" 2>&1
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  [ -z "$t1" ] && t1="$secs"
  steps=$(cat "$dir"/cells/*/summary.json | grep -o '"envSteps":[0-9]*' | cut -d: -f2 | awk '{s += $1} END {printf "%.0f", s / NR}')
  awk -v n="$n" -v s="$secs" -v c="$cells" -v t1="$t1" -v steps="$steps" \
      'BEGIN {printf "%-8s %-10.1f %-12.1f %-14.2f %s\n", n, s, c * 3600 / s, t1 / (n * s), steps}'
  grep "overhead per cell" "$out/members-$n.log" | sed 's/^/         /'
done
