#!/usr/bin/env bash
# Middlebox soak (docs/soak.md): Redis primary + 2 replicas on loopback, the middlebox with paranoid leak
# detection, 10,000 client sessions (1,000 active) for 10 minutes; RSS, descriptors and direct memory sampled.
#   testbed/soak/soak.sh                      # the documented run (~12 min)
#   testbed/soak/soak.sh --duration 60 --sessions 2000 --active 200   # a quick check
#   testbed/soak/soak.sh --help
# Holds the benchmark lock ($NCP_BENCH_LOCK, default /tmp/ncp-bench.lock; waits up to $NCP_BENCH_LOCK_WAIT s).
# Raises the descriptor limits to $NCP_SOAK_NOFILE (default 65536) when the shell may; soak.py refuses (exit 2)
# when the limit is below what the sessions need. Every process started is stopped by PID on exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case " $* " in *" --help "* | *" -h "*) exec /usr/bin/python3 "$HERE/soak.py" --help ;; esac

NOFILE=${NCP_SOAK_NOFILE:-65536}
if [[ $(ulimit -Hn) != unlimited && $(ulimit -Hn) -lt $NOFILE ]]; then
    ulimit -Hn "$NOFILE" 2>/dev/null || echo "soak.sh: cannot raise the descriptor hard limit to $NOFILE" \
        "(needs CAP_SYS_RESOURCE); it stays $(ulimit -Hn)" >&2
fi
ulimit -Sn "$(ulimit -Hn)"

exec 8>"${NCP_BENCH_LOCK:-/tmp/ncp-bench.lock}"
if ! flock -w "${NCP_BENCH_LOCK_WAIT:-600}" 8; then
    echo "soak.sh: another benchmark holds ${NCP_BENCH_LOCK:-/tmp/ncp-bench.lock}" >&2
    exit 1
fi

NCPT_STATE_DIR="$(mktemp -d /tmp/ncp-soak.XXXXXX)"
export NCPT_STATE_DIR
cleanup() {
    # processes soak.py recorded and could not stop itself (it was killed): by PID and start time, never by name
    /usr/bin/python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); from ncpt import cleanup
n = cleanup.kill_recorded()
n and print("soak.sh: stopped %d leftover process(es)" % n)' "$HERE/../lib" >&2 || true
    rm -rf "$NCPT_STATE_DIR"
}
trap cleanup EXIT

/usr/bin/python3 "$HERE/soak.py" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM
rc=0
for _ in $(seq 1 100); do  # wait returns early when INT/TERM arrives: wait again for soak.py's own cleanup
    if wait "$pid"; then rc=0; else rc=$?; fi
    kill -0 "$pid" 2>/dev/null || break
done
exit "$rc"
