#!/usr/bin/env bash
# Mininet evaluation, iperf: Direct / NCP without replication / NCP + replication on a shared NIC / on a
# dedicated NIC. Writes testbed/results/iperf-<rate>/ (CSV, markdown, PNG). Options: testbed/evaluate.py --help
#   testbed/run-iperf.sh [--rate 1gbit|10gbit] [--duration S] [--final] ...
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib/common.sh"
ncpt_lock_and_trap
/usr/bin/python3 "$HERE/evaluate.py" iperf "$@"
