#!/usr/bin/env bash
# The whole NCP evaluation in one command (root). Writes testbed/results/: CSV + PNG + markdown per step and
# SUMMARY.md (comparison with the paper and with the naive-tee anchor). Takes $NCP_BENCH_LOCK (default /tmp/ncp-bench.lock) (no other
# benchmark runs meanwhile) and the testbed lock; removes everything named ncpt-* it created on exit.
#   testbed/run-all.sh [--quick] [--final] [--out DIR] [--rate 1gbit] [--planner onos|stand-in] [--mode tunnel|mirror]
#     --quick   short points and fewer parameters (minutes; development), results under results/quick/
#     --final   label the figures as taken on a quiet machine (only when nothing else ran)
#     --out DIR write the results there (default testbed/results; lets a frozen copy of the code write here)
# Steps: smoke (replica state equality), anchor (namespaces + tbf: direct / naive tee / NCP, 1 replica, shared
# and dedicated NIC, iperf3 -P 1..64), Mininet iperf3, httperf, RUBiS (4 configurations each), summarize.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BENCH_LOCK=${NCP_BENCH_LOCK:-/tmp/ncp-bench.lock}

if [[ $(id -u) -ne 0 ]]; then
    echo "run-all.sh: needs root (Mininet, Open vSwitch, namespaces)" >&2
    exit 2
fi
ARGS=("$@")

QUICK=0 FINAL=() RATE=1gbit PLANNER=onos MODE=tunnel OUT=
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --final) FINAL=(--final) ;;
        --rate) RATE=$2; shift ;;
        --out) OUT=$2; shift ;;
        --planner) PLANNER=$2; shift ;;
        --mode) MODE=$2; shift ;;
        -h|--help) sed -n 2,12p "$0"; exit 0 ;;
        *) echo "run-all.sh: unknown option '$1' (--help)" >&2; exit 2 ;;
    esac
    shift
done

if [[ ${NCPT_BENCH_LOCKED:-} != 1 ]]; then
    export NCPT_BENCH_LOCKED=1
    echo "run-all.sh: waiting for $BENCH_LOCK ..." >&2
    exec flock "$BENCH_LOCK" "$0" ${ARGS[0]+"${ARGS[@]}"}
fi

source "$HERE/lib/common.sh"
NCPT_LOCK_WAIT=${NCPT_LOCK_WAIT:-600} ncpt_lock_and_trap

cd "$ROOT"
for jar in middlebox/target/ncp-middlebox.jar onos-app/target/ncp-plan.jar testbed/rubis/target/ncp-rubis.jar; do
    if [[ ! -f $jar ]]; then
        echo "run-all.sh: building (mvn -B -q -DskipTests package) ..." >&2
        mvn -B -q -DskipTests package
        break
    fi
done

RESULTS="$HERE/results"
if [[ $QUICK == 1 ]]; then
    export NCPT_RESULTS="${OUT:-$RESULTS/quick}"
    P=1,8,64 DUR=4 HSIZES=1,70 HCONNS=100,300 RUBIS=(--duration 10 --warmup 2 --users 1000 --items 2000)
else
    export NCPT_RESULTS="${OUT:-$RESULTS}"
    P=1,2,4,8,16,32,64 DUR=10 HSIZES=1,10,30,50,70 HCONNS=100,200,300,400,500 RUBIS=()
fi
mkdir -p "$NCPT_RESULTS"
LOG="$NCPT_RESULTS/run-all.log"
: > "$LOG"
note() { echo "$(date '+%F %T') $*" | tee -a "$LOG" >&2; }
step() { # name command...
    local name=$1
    shift
    note "== $name: $* (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    if "$@" 2>&1 | tee -a "$LOG"; then
        note "== $name: done"
    else
        note "== $name: FAILED (exit ${PIPESTATUS[0]})"
        FAILED+=("$name")
    fi
}
FAILED=()
T0=$(date +%s)
PASS=(--planner "$PLANNER" --mode "$MODE")
COMMIT=${NCPT_COMMIT:-$(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null || echo "unknown commit")}
note "run-all: $COMMIT, quick=$QUICK, rate=$RATE, planner=$PLANNER, mode=$MODE"
note "other processes on the CPU at start: $(ps -eo pcpu=,args= --sort=-pcpu | head -3 | tr -s ' ' | cut -c1-120 | paste -sd '|')"

PY=/usr/bin/python3
step smoke "$PY" testbed/smoke.py --rate "$RATE" --report "$NCPT_RESULTS/smoke.md" --planner "$PLANNER"
step anchor "$PY" testbed/bench/bench.py --settings a,shared --workloads iperf3 --systems direct,tee,ncp \
    --replicas 1 --parallel "$P" --duration "$DUR" --tag anchor --out "$NCPT_RESULTS/anchor" "${FINAL[@]}"
step iperf "$PY" testbed/evaluate.py iperf --rate "$RATE" --parallel "$P" --duration "$DUR" "${FINAL[@]}" \
    "${PASS[@]}"
step httperf "$PY" testbed/evaluate.py httperf --rate "$RATE" --sizes "$HSIZES" --conns "$HCONNS" "${FINAL[@]}" \
    "${PASS[@]}"
# RUBiS twice: closed loop without think time (saturation: 3 MariaDB instances then share 2 cores) and
# interactive (20 ms mean think time: offered load well below capacity, latency is what NCP adds)
step rubis "$PY" testbed/evaluate.py rubis --rate "$RATE" --clients 16 ${RUBIS[0]+"${RUBIS[@]}"} "${FINAL[@]}" \
    "${PASS[@]}"
step rubis-think "$PY" testbed/evaluate.py rubis --rate "$RATE" --clients 16 --think-ms 20 \
    --tag "rubis-$RATE-think20" ${RUBIS[0]+"${RUBIS[@]}"} "${FINAL[@]}" "${PASS[@]}"
step summarize "$PY" testbed/summarize.py --results "$NCPT_RESULTS" "${FINAL[@]}"
note "run-all: $(( ($(date +%s) - T0) / 60 )) min, load at end $(cut -d' ' -f1-3 /proc/loadavg), failed: ${FAILED[*]:-none}"
[[ ${#FAILED[@]} -eq 0 ]]
