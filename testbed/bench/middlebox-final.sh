#!/usr/bin/env bash
# The documented middlebox benchmark (docs/middlebox-benchmark.md), root, under a bench lock file ($NCP_BENCH_LOCK):
# settings a and b (direct, HAProxy 1 thread, naive tee and NCP with 0/1/2 replicas) and loopback; iperf3.
# Writes docs/bench/middlebox-final-{ab,loopback}.{csv,md,png}. Pass --final only on an otherwise idle machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
NCP_ARGS=${NCP_ARGS:-"--backlog 128MiB"}
# one benchmark at a time on this machine (NCP_BENCH_LOCK: a lock file shared with other benchmark runs)
exec flock "${NCP_BENCH_LOCK:-/tmp/ncp-bench.lock}" bash -c '
set -e
testbed/bench/run.sh --settings a,b --systems direct,haproxy-t1,tee,ncp --replicas 0,1,2 --duration 5 --warmup 2 \
    --ncp-args "$0" --tag middlebox-final-ab --out docs/bench "$@"
testbed/bench/run.sh --settings loopback --systems direct,haproxy-t1,tee,ncp --replicas 0,1 --duration 5 --warmup 2 \
    --ncp-args "$0" --tag middlebox-final-loopback --out docs/bench "$@"' "$NCP_ARGS" "$@"
