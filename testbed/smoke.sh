#!/usr/bin/env bash
# CI smoke of the NCP Mininet testbed (a few minutes). Needs root; without root it says so and skips.
# Exits non-zero when a check fails; removes everything it created (ncpt-* names, its PIDs) on exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $(id -u) -ne 0 ]]; then
    echo "testbed/smoke.sh: SKIPPED - needs root (Mininet, Open vSwitch, namespaces)" >&2
    exit 0
fi
source "$HERE/lib/common.sh"
ncpt_lock_and_trap
timeout --foreground 900 /usr/bin/python3 "$HERE/smoke.py" "$@"
