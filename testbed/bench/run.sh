#!/usr/bin/env bash
# Issue 2 benchmark harness (root): namespaces + veths + bridges + tbf; direct / HAProxy / naive tee / NCP.
#   testbed/bench/run.sh --settings a --workloads iperf3 --systems direct,tee,ncp --replicas 1
#   testbed/bench/run.sh --help
# Whatever happens, everything named ncpt-* it created is removed on exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib/common.sh"
ncpt_lock_and_trap
/usr/bin/python3 "$HERE/bench.py" "$@"
