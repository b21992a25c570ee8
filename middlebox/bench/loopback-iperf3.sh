#!/usr/bin/env bash
# Quick loopback throughput check of the middlebox (development aid; the real benchmark is testbed/bench/):
# iperf3 direct vs HAProxy (1 thread, if installed) vs ncp as plain proxy vs ncp replicating to 1 replica.
# usage: middlebox/bench/loopback-iperf3.sh [P...]   (env: SECS=4, THREADS=cores, JAVA_OPTS, EXTRA="--replica-loop separate")
# Prints "label P=n Gbit/s". Stops only the processes it started (by PID). Figures on a shared machine are noisy.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR=$ROOT/middlebox/target/ncp-middlebox.jar
[[ -f $JAR ]] || (cd "$ROOT" && mvn -q -B -DskipTests -pl middlebox -am package)
SECS=${SECS:-4}
BASE=${BASE:-$((20000 + RANDOM % 20000))}
PRIMARY=$BASE REPLICA=$((BASE + 1)) NCP=$((BASE + 2)) HAP=$((BASE + 3))
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
THREADS_ARG=()
[[ -n ${THREADS:-} ]] && THREADS_ARG=(--threads "$THREADS")

measure() { # label port P
    iperf3 -s -1 -p "$PRIMARY" -B 127.0.0.1 >/dev/null 2>&1 & local s1=$!
    iperf3 -s -1 -p "$REPLICA" -B 127.0.0.1 >/dev/null 2>&1 & local s2=$!
    sleep 0.3
    local r
    r=$(iperf3 -c 127.0.0.1 -p "$2" -t "$SECS" -P "$3" -J | python3 -c \
        "import json,sys; d=json.load(sys.stdin); print('%.2f' % (d['end']['sum_received']['bits_per_second']/1e9))")
    echo "$1 P=$3 $r Gbit/s"
    kill "$s1" "$s2" 2>/dev/null || true
    wait "$s1" "$s2" 2>/dev/null || true
}

with_ncp() { # label P args...
    local label=$1 p=$2
    shift 2
    # shellcheck disable=SC2086
    java ${JAVA_OPTS:-} -jar "$JAR" run -l 127.0.0.1:$NCP -p 127.0.0.1:$PRIMARY --admin off --stats-interval 0 \
        "${THREADS_ARG[@]}" "$@" >"$TMP/ncp.log" 2>&1 &
    local m=$!
    for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$NCP) 2>/dev/null && break; sleep 0.1; done
    measure "$label" "$NCP" "$p"
    kill "$m"
    wait "$m" 2>/dev/null || true
}

for P in "${@:-1 4 16 64}"; do
    measure direct "$PRIMARY" "$P"
    if command -v haproxy >/dev/null; then
        printf 'global\n nbthread 1\n maxconn 4096\ndefaults\n mode tcp\n timeout connect 5s\n timeout client 60s\n timeout server 60s\nfrontend f\n bind 127.0.0.1:%s\n default_backend b\nbackend b\n server s1 127.0.0.1:%s\n' \
            "$HAP" "$PRIMARY" >"$TMP/haproxy.cfg"
        haproxy -f "$TMP/haproxy.cfg" -db >/dev/null 2>&1 &
        h=$!
        sleep 0.5
        measure haproxy "$HAP" "$P"
        kill "$h"
        wait "$h" 2>/dev/null || true
    fi
    with_ncp ncp-proxy "$P"
    # shellcheck disable=SC2086
    with_ncp ncp-1-replica "$P" -r 127.0.0.1:$REPLICA --backlog 1GiB --compare none ${EXTRA:-}
done
