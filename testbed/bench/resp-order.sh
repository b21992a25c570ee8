#!/usr/bin/env bash
# What `order: service` costs (docs/request-aware.md, "order: service"): redis-benchmark -c 20 -r 1000 -t set,get,
# plain and with -P 16, through a middlebox (async, protocol redis, one replica) with `order: session` (the default)
# and with `order: service`, ROUNDS alternating rounds each (fresh middlebox JVM per round), medians of rps and p50
# latency; the load average before and after. Starts its own redis-servers and middleboxes on free loopback ports and
# stops them (by PID) on exit.
# usage: testbed/bench/resp-order.sh [REQUESTS [ROUNDS]]   (defaults 100000, 3)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/middlebox/target/ncp-middlebox.jar"
N=${1:-100000}
ROUNDS=${2:-3}
[[ -f $JAR ]] || { echo "resp-order: build first (./ncp build)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/ncp-resp-order.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "resp-order: nothing listens on port $1" >&2; exit 1
}
redis() {
    local port=$1
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
        --enable-debug-command local >"$WORK/redis-$port.log" 2>&1 &
    PIDS+=($!)
    wait_port "$port"
}
PRIMARY=$(free_port); REPLICA=$(free_port)
redis "$PRIMARY"; redis "$REPLICA"

middlebox() {
    local order=$1 listen
    listen=$(free_port)
    cat >"$WORK/mb-$order.yaml" <<YAML
threads: 2
admin: off
statsInterval: 0s
services:
  - name: redis
    listen: 127.0.0.1:$listen
    primary: 127.0.0.1:$PRIMARY
    replicas: [127.0.0.1:$REPLICA]
    mode: async
    protocol: redis
    order: $order
YAML
    java -XX:+UseParallelGC -Xmx1g -jar "$JAR" run --config "$WORK/mb-$order.yaml" >"$WORK/mb-$order.log" 2>&1 &
    MB_PID=$!
    PIDS+=("$MB_PID")
    wait_port "$listen"
    MB_PORT=$listen
}
stop_middlebox() { kill "$MB_PID"; wait "$MB_PID" 2>/dev/null || true; }
# one redis-benchmark run: "TEST rps p50" lines
bench() {
    redis-benchmark -p "$MB_PORT" -c 20 -n "$N" -r 1000 -t set,get "$@" -q --csv | tr -d '"' \
        | awk -F, 'NR > 1 { print $1, $2, $5 }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "loopback, 1 replica, async, protocol redis, $(nproc) cores, redis-benchmark -c 20 -n $N -r 1000 -t set,get"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
    for order in session service; do
        middlebox "$order"
        bench >"$WORK/r$r-$order-plain.txt"
        bench -P 16 >"$WORK/r$r-$order-p16.txt"
        stop_middlebox
        redis-cli -p "$PRIMARY" FLUSHALL >/dev/null; redis-cli -p "$REPLICA" FLUSHALL >/dev/null
        echo "round $r order: $order: $(tr '\n' ' ' <"$WORK/r$r-$order-plain.txt")| -P 16: \
$(tr '\n' ' ' <"$WORK/r$r-$order-p16.txt")(load $(cut -d' ' -f1 /proc/loadavg))"
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians of $ROUNDS rounds (rps, p50 ms):"
for order in session service; do
    for kind in plain p16; do
        for t in SET GET; do
            rps=$(cat "$WORK"/r*-"$order"-"$kind".txt | awk -v t="$t" '$1 == t { print $2 }' | median)
            p50=$(cat "$WORK"/r*-"$order"-"$kind".txt | awk -v t="$t" '$1 == t { print $3 }' | median)
            echo "order: $order $kind $t: $rps rps, p50 $p50 ms"
        done
    done
done
