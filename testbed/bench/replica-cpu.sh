#!/usr/bin/env bash
# Moves the replica's share of the CPU while a setting-(a) httperf benchmark runs beside it
# (docs/middlebox-benchmark.md, "How much of the replica's cost is the 2 cores"). Every 3 s for SECONDS, it finds
# the replica's nginx (the one on port 8082: testbed/lib/ncpt/settings.py) and the NCP middlebox's replica loop
# threads (ncp-replica-*), and:
#   nice        renices the replica's nginx to 19
#   nice-loops  the same, and NCP's replica loop threads too
#   pin         pins the replica's nginx and NCP's replica loops to CPU 1; start the benchmark under `taskset -c 0`
#               so everything else (httperf, the primary's nginx, HAProxy, NCP's front loops) stays on CPU 0
# A stand-in for a replica with a machine of its own; the results must say which mode ran. Touches only processes
# whose command line is the testbed's (nginx -c .../nginx-*-8082/nginx.conf, java ... ncp-middlebox.jar run).
#   testbed/bench/replica-cpu.sh pin 900 & taskset -c 0 testbed/bench/run.sh --settings a --workloads httperf ...
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: testbed/bench/replica-cpu.sh nice|nice-loops|pin SECONDS" >&2
    exit 2
fi
mode=$1
seconds=$2
case "$mode" in
    nice|nice-loops|pin) ;;
    *) echo "replica-cpu.sh: unknown mode '$mode' (nice, nice-loops, pin)" >&2; exit 2;;
esac
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "replica-cpu.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2; }

move() {  # move TID: apply the mode to one task
    if [ "$mode" = pin ]; then taskset -p 2 "$1" >/dev/null 2>&1 || true
    else renice -n 19 -p "$1" >/dev/null 2>&1 || true; fi
}

end=$((SECONDS + seconds))
while [ $SECONDS -lt $end ]; do
    for pid in $(pgrep -f '^nginx: master process nginx -c .*-8082/nginx.conf' || true); do
        for task in $pid $(pgrep -P "$pid" || true); do move "$task"; done
    done
    if [ "$mode" != nice ]; then
        for pid in $(pgrep -f '^java .*ncp-middlebox.jar run' || true); do
            for t in /proc/"$pid"/task/*; do
                [[ $(cat "$t/comm" 2>/dev/null) == ncp-replica* ]] && move "${t##*/}"
            done
        done
    fi
    sleep 3
done
