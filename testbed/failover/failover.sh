#!/usr/bin/env bash
# Failover benchmark (docs/failover-benchmark.md): kill -9 (refusing) and SIGSTOP (silent) of the primary Redis
# behind the NCP middlebox, 20 trials each, client-observed recovery, lost writes, errors, /stats figures.
#   testbed/failover/failover.sh                                  # loopback, lockstep, 20 + 20 trials (~10 min)
#   testbed/failover/failover.sh --mode async                     # the same in async mode
#   testbed/failover/failover.sh --trials 3                       # a quick check
#   testbed/failover/failover.sh --net mininet --trials 5         # Mininet testbed, replicas on the replication NIC
#   testbed/failover/failover.sh --help
# Holds the benchmark lock ($NCP_BENCH_LOCK, default /tmp/ncp-bench.lock; waits up to $NCP_BENCH_LOCK_WAIT s);
# --net mininet also takes the testbed lock and removes what it created (testbed/lib/common.sh). Every process
# started is stopped by PID on exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case " $* " in *" --help "* | *" -h "*) exec /usr/bin/python3 "$HERE/failover.py" --help ;; esac

exec 8>"${NCP_BENCH_LOCK:-/tmp/ncp-bench.lock}"
if ! flock -w "${NCP_BENCH_LOCK_WAIT:-600}" 8; then
    echo "failover.sh: another benchmark holds ${NCP_BENCH_LOCK:-/tmp/ncp-bench.lock}" >&2
    exit 1
fi

case " $* " in
*" --net mininet "* | *" --net=mininet "*)
    # the shared testbed state and names (ncpt-*): its lock, and its cleanup on exit
    source "$HERE/../lib/common.sh"
    ncpt_lock_and_trap
    ;;
*)
    NCPT_STATE_DIR="$(mktemp -d /tmp/ncp-failover.XXXXXX)"
    export NCPT_STATE_DIR
    cleanup() {
        # processes failover.py recorded and could not stop itself (it was killed): by PID and start time
        /usr/bin/python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); from ncpt import cleanup
n = cleanup.kill_recorded()
n and print("failover.sh: stopped %d leftover process(es)" % n)' "$HERE/../lib" >&2 || true
        rm -rf "$NCPT_STATE_DIR"
    }
    trap cleanup EXIT
    ;;
esac

/usr/bin/python3 "$HERE/failover.py" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM
rc=0
for _ in $(seq 1 100); do  # wait returns early when INT/TERM arrives: wait again for failover.py's own cleanup
    if wait "$pid"; then rc=0; else rc=$?; fi
    kill -0 "$pid" 2>/dev/null || break
done
exit "$rc"
