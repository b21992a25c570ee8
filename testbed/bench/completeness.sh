#!/usr/bin/env bash
# Replica completeness with and without the catch-up journal (root): namespaces + veths + bridges + tbf,
# direct / NCP without journal / NCP with journal, plain and with the replica SIGSTOPped mid-run.
#   testbed/bench/completeness.sh --setting b --parallel 1,16,64
#   testbed/bench/completeness.sh --help
# Whatever happens, everything named ncpt-* it created is removed on exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib/common.sh"
ncpt_lock_and_trap
/usr/bin/python3 "$HERE/completeness.py" "$@"
