#!/usr/bin/env bash
# Request-aware replication on loopback: redis-benchmark through the middlebox (one replica) with protocol bytes and
# redis, async and lockstep, and an INFO / CLIENT LIST mix in lockstep (docs/request-aware.md, "What it costs").
# Starts its own redis-servers and middleboxes on free loopback ports and stops them (by PID) on exit.
# usage: testbed/bench/resp-modes.sh [REQUESTS]   (default 50000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/middlebox/target/ncp-middlebox.jar"
N=${1:-50000}
[[ -f $JAR ]] || { echo "resp-modes: build first (./ncp build)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/ncp-resp-modes.XXXXXX)
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
    echo "resp-modes: nothing listens on port $1" >&2; exit 1
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

# runs one middlebox; prints its listen port (its PID is the last of PIDS)
middlebox() {
    local mode=$1 protocol=$2 listen admin
    listen=$(free_port); admin=$(free_port)
    java -XX:+UseParallelGC -Xmx1g -jar "$JAR" run --listen "127.0.0.1:$listen" --primary "127.0.0.1:$PRIMARY" \
        --replica "127.0.0.1:$REPLICA" --mode "$mode" --protocol "$protocol" --threads 2 --admin off \
        --stats-interval 0 >"$WORK/mb-$mode-$protocol.log" 2>&1 &
    MB_PID=$!
    PIDS+=("$MB_PID")
    wait_port "$listen"
    MB_PORT=$listen
}
stop_middlebox() { kill "$MB_PID"; wait "$MB_PID" 2>/dev/null || true; }

echo "loopback, 1 replica, $(nproc) cores, redis-benchmark -c 20 -n $N -t set,get (and -P 16)"
for mode in async lockstep; do
    for protocol in bytes redis; do
        middlebox "$mode" "$protocol"
        plain=$(redis-benchmark -p "$MB_PORT" -c 20 -n "$N" -r 1000 -t set,get -q --csv | tr -d '"' | cut -d, -f1,2,3 \
            | tr '\n' ' ')
        piped=$(redis-benchmark -p "$MB_PORT" -c 20 -n "$N" -r 1000 -t set,get -P 16 -q --csv | tr -d '"' \
            | cut -d, -f1,2 | tr '\n' ' ')
        echo "$mode $protocol: $plain| -P 16: $piped"
        stop_middlebox
        redis-cli -p "$PRIMARY" FLUSHALL >/dev/null; redis-cli -p "$REPLICA" FLUSHALL >/dev/null
    done
done

echo "lockstep, one client, 300 x (INFO, CLIENT LIST, CONFIG GET *, SET): wall time and the stop summary"
for protocol in bytes redis; do
    middlebox lockstep "$protocol"
    start=$(date +%s.%N)
    for i in $(seq 1 300); do printf 'INFO\r\nCLIENT LIST\r\nCONFIG GET *\r\nSET k%s v\r\n' "$i"; done \
        | redis-cli -p "$MB_PORT" >/dev/null
    end=$(date +%s.%N)
    stop_middlebox
    echo "lockstep $protocol: $(python3 -c "print(f'{$end-$start:.2f} s')"); lockstep warnings: \
$(grep -c 'held session' "$WORK/mb-lockstep-$protocol.log" || true); exit summary:"
    grep -A3 'service  backend' "$WORK/mb-lockstep-$protocol.log" || true
done
