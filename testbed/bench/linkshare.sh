#!/usr/bin/env bash
# Link utilisation and ACK shares of a relayed iperf3 point in setting (a) (see linkshare.py).
#   testbed/bench/linkshare.sh --systems direct,ncp --parallel 1,64 --reps 2
# Whatever happens, everything named ncpt-* it created is removed on exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib/common.sh"
ncpt_lock_and_trap
/usr/bin/python3 "$HERE/linkshare.py" "$@"
