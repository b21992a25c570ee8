#!/usr/bin/env bash
# TLS benchmark on loopback (issue 15): bulk throughput and connection rate over TLS
#   direct (client -> Redis TLS port) | HAProxy terminating TLS (re-encrypting to the primary) |
#   NCP terminating TLS with 0 and 1 replica (re-encrypting to the primary and the replica).
# Backends: redis-server with --tls-port (certificates made here by openssl). Clients:
#   bulk: redis-benchmark --tls -t set -d SIZE -P 16 (client->server bytes: what NCP replicates), MiB/s of values;
#   rate: openssl s_time -new (a full TLS handshake per connection, then close), connections/s.
# Usage: testbed/bench/tls-bench.sh [--duration S] [--warmup S] [--reps N] [--out docs/bench/middlebox-tls]
# Each system is warmed up first (--warmup seconds of handshakes and of bulk, not recorded: the JVM's JIT).
# Every process it starts is stopped by PID on exit; its temporary directory is removed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DURATION=10
WARMUP=5
REPS=1
OUT="$ROOT/docs/bench/middlebox-tls"
JAR="$ROOT/middlebox/target/ncp-middlebox.jar"
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --reps) REPS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --jar) JAR="$2"; shift 2 ;;
        -h|--help) sed -n 2,10p "$0"; exit 0 ;;
        *) echo "tls-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
for b in redis-server redis-benchmark openssl haproxy java; do
    command -v "$b" >/dev/null || { echo "tls-bench: '$b' is not installed" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "tls-bench: $JAR missing: mvn -pl middlebox -am package -DskipTests" >&2; exit 2; }
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 && "$DURATION" -le 600 ]] || { echo "tls-bench: --duration 1..600" >&2; exit 2; }
[[ "$REPS" =~ ^[0-9]+$ && "$REPS" -ge 1 && "$REPS" -le 20 ]] || { echo "tls-bench: --reps 1..20" >&2; exit 2; }

WORK="$(mktemp -d /tmp/ncp-tls-bench-XXXXXX)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_port() { # port, what
    for _ in $(seq 1 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "tls-bench: $2 not listening on $1" >&2; exit 1
}

cd "$WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj /CN=bench-ca 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > ext
for n in front primary replica; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $n.key -out $n.csr -subj /CN=$n 2>/dev/null
    openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -set_serial $RANDOM -out $n.pem -days 2 -extfile ext 2>/dev/null
done
cat front.pem front.key > front-haproxy.pem

redis() { # name, variable: starts it (in this shell, so its PID is kept), sets the variable to its TLS port
    local port tport
    port=$(free_port); tport=$(free_port)
    redis-server --bind 127.0.0.1 --port "$port" --tls-port "$tport" --tls-cert-file $1.pem --tls-key-file $1.key \
        --tls-ca-cert-file ca.pem --tls-auth-clients no --save "" --appendonly no --daemonize no \
        --logfile "$WORK/$1.log" >/dev/null 2>&1 &
    PIDS+=($!)
    await_port "$tport" "redis $1"
    printf -v "$2" '%s' "$tport"
}
redis primary P_TLS
redis replica R_TLS

LISTEN_HA=$(free_port)
cat > haproxy.cfg <<CFG
global
    nbthread 2
    maxconn 4096
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend tls
    bind 127.0.0.1:$LISTEN_HA ssl crt $WORK/front-haproxy.pem
    default_backend primary
backend primary
    server p 127.0.0.1:$P_TLS ssl verify required ca-file $WORK/ca.pem sni str(localhost)
CFG
haproxy -f haproxy.cfg -db >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
await_port "$LISTEN_HA" haproxy

ncp() { # replicas(0|1), variable: starts it in this shell, sets the variable to its listen port
    local port args=()
    port=$(free_port)
    [ "$1" = 1 ] && args=(--replica "127.0.0.1:$R_TLS" --admin "127.0.0.1:$ADMIN1" --admin-token-file "$WORK/token")
    [ "$1" = 0 ] && args=(--admin off)
    java -XX:+UseParallelGC -jar "$JAR" run --listen "127.0.0.1:$port" --primary "127.0.0.1:$P_TLS" "${args[@]}" \
        --tls-cert front.pem --tls-key front.key --backend-tls-ca ca.pem --stats-interval 0 \
        --backlog 256MiB >"$WORK/ncp-$1.log" 2>&1 &
    PIDS+=($!)
    await_port "$port" "ncp ($1 replica)"
    printf -v "$2" '%s' "$port"
}
ADMIN1=$(free_port)
ncp 0 NCP0
ncp 1 NCP1
PROVIDER=$(grep -o 'TLS provider: [a-z]*' "$WORK/ncp-0.log" | head -1 | sed 's/TLS provider: //')

bulk() { # port -> MiB/s of SET values (64 KiB values, 4 clients, pipeline 16), for DURATION seconds at most
    local n out rps
    n=$(( DURATION * 2000 ))
    out=$(timeout $(( DURATION * 6 + 30 )) redis-benchmark -h 127.0.0.1 -p "$1" --tls --cacert ca.pem -t set \
        -d 65536 -c 4 -P 16 -n "$n" -r 1000 -q 2>/dev/null | tr '\r' '\n' | grep -a 'SET:' | tail -1)
    rps=$(echo "$out" | grep -oE '[0-9.]+ requests per second' | grep -oE '^[0-9.]+')
    python3 -c "print(f'{float(\"${rps:-0}\") * 65536 / 1048576:.1f}')"
}
rate() { # port -> TLS connections/s of wall-clock time (full handshake each, one client)
    local out
    out=$(timeout $(( DURATION + 30 )) openssl s_time -connect "127.0.0.1:$1" -new -time "$DURATION" \
        -CAfile ca.pem 2>/dev/null | grep -a 'real seconds' | head -1)
    python3 -c "import re,sys; m=re.match(r'(\d+) connections in (\d+) real', sys.argv[1]); \
print(f'{int(m.group(1))/max(1,int(m.group(2))):.0f}' if m else '0')" "$out"
}

[[ "$WARMUP" =~ ^[0-9]+$ && "$WARMUP" -le 600 ]] || { echo "tls-bench: --warmup 0..600" >&2; exit 2; }
if [ "$WARMUP" -gt 0 ]; then
    for port in "$P_TLS" "$LISTEN_HA" "$NCP0" "$NCP1"; do
        timeout $(( WARMUP + 30 )) openssl s_time -connect "127.0.0.1:$port" -new -time "$WARMUP" -CAfile ca.pem \
            >/dev/null 2>&1 || true
        timeout $(( WARMUP * 6 + 30 )) redis-benchmark -h 127.0.0.1 -p "$port" --tls --cacert ca.pem -t set -d 65536 \
            -c 4 -P 16 -n $(( WARMUP * 500 )) -r 1000 -q >/dev/null 2>&1 || true
    done
fi
mkdir -p "$(dirname "$OUT")"
CSV="$OUT.csv"
echo "system,rep,bulk_mib_s,conn_per_s,load1_before,load1_after,provider" > "$CSV"
for rep in $(seq 1 "$REPS"); do
    for sys in direct haproxy ncp0 ncp1; do
        case $sys in
            direct) port=$P_TLS ;; haproxy) port=$LISTEN_HA ;; ncp0) port=$NCP0 ;; ncp1) port=$NCP1 ;;
        esac
        l0=$(cut -d' ' -f1 /proc/loadavg)
        b=$(bulk "$port")
        r=$(rate "$port")
        l1=$(cut -d' ' -f1 /proc/loadavg)
        echo "$sys,$rep,$b,$r,$l0,$l1,$PROVIDER" | tee -a "$CSV"
    done
done
{
    echo "| system | rep | bulk MiB/s (SET 64 KiB, 4 clients, pipeline 16) | TLS connections/s (s_time -new) | 1-min load before/after |"
    echo "|---|---|---|---|---|"
    tail -n +2 "$CSV" | while IFS=, read -r s rp b r l0 l1 pv; do
        echo "| $s | $rp | $b | $r | $l0 / $l1 |"
    done
    echo
    echo "NCP TLS provider: $PROVIDER, 2 shards; HAProxy $(haproxy -v | head -1 | awk '{print $3}') nbthread 2;" \
        "duration ${DURATION} s per point after ${WARMUP} s of warm-up per system; $(nproc) cores."
    echo
    echo "NCP with 1 replica, its replica's counters after the run (GET /stats):"
    echo '```'
    curl -s -H "Authorization: Bearer $(cat "$WORK/token")" "http://127.0.0.1:$ADMIN1/stats" | python3 -c '
import json, sys
s = json.load(sys.stdin)["services"][0]
r = s["replicas"][0]
print("sessions", s["sessions"], "bytesIn", s["bytesIn"], "| replica bytesSent", r["bytesSent"], "compared",
      r["compared"], "divergent", r["divergent"], "damaged", r["damaged"], "lagging", r["lagging"],
      "consistency", r["consistency"])'
    echo '```'
} > "$OUT.md"
echo "wrote $CSV and $OUT.md"
