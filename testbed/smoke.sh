#!/usr/bin/env bash
# CI smoke of the NCP Mininet testbed (a few minutes). Needs root; without root it says so and skips.
# Real components: ncp-middlebox run + ncp-plan's rules (testbed/smoke.py --help for --planner stand-in).
# Starts Open vSwitch (ovs-ctl start) when it is not running and stops it again if it started it.
# Exits non-zero when a check fails; removes everything it created (ncpt-* names, its PIDs) on exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $(id -u) -ne 0 ]]; then
    echo "testbed/smoke.sh: SKIPPED - needs root (Mininet, Open vSwitch, namespaces)" >&2
    exit 0
fi
source "$HERE/lib/common.sh"
ROOT="$(cd "$HERE/.." && pwd)"
for jar in middlebox/target/ncp-middlebox.jar onos-app/target/ncp-plan.jar; do
    if [[ ! -f $ROOT/$jar ]]; then
        echo "testbed/smoke.sh: $jar missing, building (mvn -B -q -DskipTests package)" >&2
        (cd "$ROOT" && mvn -B -q -DskipTests package)
        break
    fi
done
ncpt_lock_and_trap
timeout --foreground 900 /usr/bin/python3 "$HERE/smoke.py" "$@"
