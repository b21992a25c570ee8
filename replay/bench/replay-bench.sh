#!/usr/bin/env bash
# Replay benchmarks (needs root, tcpdump, redis-server/redis-benchmark, iperf3, ethtool, iproute2):
#   1. reassembly throughput (read + decode + reassemble) from large captures: synthetic MTU-sized and
#      small-segment traffic, and a real tcpdump capture of redis-benchmark; plus pcap4j's object decoder
#      on the same small-segment file for comparison;
#   2. live-capture loss vs offered load: `ncp-replay record` (pcap4j) on a veth inside network namespaces
#      created here (ncpr-a/ncpr-b, offloads off, MTU 1500) while iperf3 sends at fixed rates.
# Writes docs/bench/replay-reassembly.csv, docs/bench/replay-capture-loss.csv and docs/replay-benchmark.md.
# Env: LABEL (default "provisional (shared CPU)"), DURATION (iperf3 seconds, default 5), RATES, SKIP_LOSS=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
LABEL=${LABEL:-"provisional (shared CPU)"}
DURATION=${DURATION:-5}
RATES=${RATES:-"100M 500M 1G 2G 4G 0"}
OUT=docs/bench
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/ncpr-bench.XXXXXX)
JAR=replay/target/ncp-replay.jar
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del ncpr-a 2>/dev/null || true
    ip netns del ncpr-b 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ ! -f $JAR ]] || [[ -n $(find replay/src replay/pom.xml pom.xml -newer "$JAR" -type f -print -quit) ]]; then
    mvn -q -B -pl replay -am package -DskipTests
fi
ncpr() { java -Xmx2g -jar "$JAR" "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# median of the MB/s and packets/s columns over runs 2..N (run 1 warms up the JIT)
median_of() { # csv file, column
    tail -n +3 "$1" | cut -d, -f"$2" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

echo "== 1. reassembly throughput" >&2
ncpr generate-pcap --out "$WORK/mtu.pcap" --flows 400 --bytes-per-flow 2MiB --active 100 --mss 1448 >&2
ncpr generate-pcap --out "$WORK/small.pcap" --flows 2000 --bytes-per-flow 64k --active 200 --mss 64 >&2
PORT=$(free_port)
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
tcpdump -i lo -n -B 262144 -s 262144 -U -Z root -w "$WORK/redis.pcap" "tcp port $PORT" >"$WORK/tcpdump.log" 2>&1 &
TCPDUMP=$!
PIDS+=($TCPDUMP)
until grep -q "listening on" "$WORK/tcpdump.log"; do sleep 0.1; done
redis-benchmark -p "$PORT" -c 50 -P 4 -n 1000000 -r 100000 -t set,get -d 64 -q >&2
prev=-1; while s=$(stat -c %s "$WORK/redis.pcap"); [[ $s != "$prev" ]]; do prev=$s; sleep 1.5; done
kill -TERM "$TCPDUMP"; wait "$TCPDUMP" || true
grep -E "captured|dropped" "$WORK/tcpdump.log" >&2 || true

echo "input,decoder,packets,file_bytes,median_mb_per_s,median_packets_per_s,best_mb_per_s,best_packets_per_s,gaps,label" \
    > "$OUT/replay-reassembly.csv"
for name in mtu small redis; do
    ncpr bench-reassembly "$WORK/$name.pcap" --repeat 6 > "$WORK/$name.csv"
    cat "$WORK/$name.csv" >&2
    packets=$(sed -n 2p "$WORK/$name.csv" | cut -d, -f3)
    size=$(sed -n 2p "$WORK/$name.csv" | cut -d, -f4)
    gaps=$(sed -n 2p "$WORK/$name.csv" | cut -d, -f6)
    best_mb=$(tail -n +2 "$WORK/$name.csv" | cut -d, -f7 | sort -g | tail -1)
    best_pps=$(tail -n +2 "$WORK/$name.csv" | cut -d, -f8 | sort -g | tail -1)
    echo "$name,ncp-raw,$packets,$size,$(median_of "$WORK/$name.csv" 7),$(median_of "$WORK/$name.csv" 8),$best_mb,$best_pps,$gaps,$LABEL" \
        >> "$OUT/replay-reassembly.csv"
done
ncpr bench-reassembly "$WORK/small.pcap" --repeat 4 --pcap4j-decode 2>/dev/null > "$WORK/pcap4j.csv"
cat "$WORK/pcap4j.csv" >&2
echo "small,pcap4j-objects-decode-only,$(sed -n 2p "$WORK/pcap4j.csv" | cut -d, -f3),$(sed -n 2p "$WORK/pcap4j.csv" | cut -d, -f4),$(median_of "$WORK/pcap4j.csv" 6),$(median_of "$WORK/pcap4j.csv" 7),$(tail -n +2 "$WORK/pcap4j.csv" | cut -d, -f6 | sort -g | tail -1),$(tail -n +2 "$WORK/pcap4j.csv" | cut -d, -f7 | sort -g | tail -1),,$LABEL" \
    >> "$OUT/replay-reassembly.csv"
rm -f "$WORK"/*.pcap

if [[ ${SKIP_LOSS:-0} != 1 ]]; then
    echo "== 2. capture loss vs offered load" >&2
    ip netns add ncpr-a
    ip netns add ncpr-b
    ip link add ncpr-va netns ncpr-a type veth peer name ncpr-vb netns ncpr-b
    ip -n ncpr-a addr add 10.231.0.1/24 dev ncpr-va
    ip -n ncpr-b addr add 10.231.0.2/24 dev ncpr-vb
    ip -n ncpr-a link set ncpr-va up mtu 1500
    ip -n ncpr-b link set ncpr-vb up mtu 1500
    ip -n ncpr-a link set lo up
    ip -n ncpr-b link set lo up
    ip netns exec ncpr-a ethtool -K ncpr-va tso off gso off gro off >/dev/null 2>&1 || true
    ip netns exec ncpr-b ethtool -K ncpr-vb tso off gso off gro off >/dev/null 2>&1 || true
    ip netns exec ncpr-b iperf3 -s -B 10.231.0.2 >"$WORK/iperf-server.log" 2>&1 &
    IPERF=$!
    PIDS+=($IPERF)
    sleep 1
    echo "offered,achieved_mbit_s,iperf_sent_bytes,captured_client_bytes,gap_bytes,loss_percent,pcap_received,pcap_dropped,queue_drops,gaps,label" \
        > "$OUT/replay-capture-loss.csv"
    for rate in $RATES; do
        J="$WORK/loss-$rate.journal"
        ip netns exec ncpr-a java -Xmx2g -jar "$JAR" record -i ncpr-va -f "tcp port 5201" -o "$J" --fsync never \
            --client-only >"$WORK/record-$rate.log" 2>&1 &
        REC=$!
        until grep -qs "recording" "$WORK/record-$rate.log"; do sleep 0.1; kill -0 $REC; done
        ip netns exec ncpr-a iperf3 -c 10.231.0.2 -b "$rate" -t "$DURATION" -J > "$WORK/iperf-$rate.json"
        sleep 1.5
        kill -TERM $REC; wait $REC || true
        sent=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['end']['sum_sent']['bytes'])" "$WORK/iperf-$rate.json")
        mbit=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['end']['sum_sent']['bits_per_second']/1e6))" "$WORK/iperf-$rate.json")
        ncpr inspect "$J" --csv > "$WORK/sessions-$rate.csv"
        # the data connection is the session with the most client bytes (the other is iperf3's control connection)
        read -r captured gapbytes gaps < <(tail -n +2 "$WORK/sessions-$rate.csv" | awk -F, '{print $7+$10, $10, $9}' | sort -g | tail -1 \
            | awk '{print $1-$2, $2, $3}')
        received=$(grep -o 'received=[0-9]*' "$WORK/record-$rate.log" | head -1 | cut -d= -f2)
        dropped=$(grep -o ' dropped=[0-9]*' "$WORK/record-$rate.log" | head -1 | cut -d= -f2)
        qdrops=$(grep -o 'queue drops=[0-9]*' "$WORK/record-$rate.log" | head -1 | cut -d= -f2)
        loss=$(python3 -c "import sys; c,g=map(int,sys.argv[1:3]); print(round(100*g/(c+g),4) if c+g else 0)" "$captured" "$gapbytes")
        echo "${rate/#0/unlimited},$mbit,$sent,$captured,$gapbytes,$loss,$received,$dropped,$qdrops,$gaps,$LABEL" \
            | tee -a "$OUT/replay-capture-loss.csv" >&2
        rm -f "$J"
    done
fi

{
    echo "# Replay benchmarks"
    echo
    echo "Generated by \`replay/bench/replay-bench.sh\` on $(date -u +%Y-%m-%d) — $LABEL; $(nproc) cores."
    echo
    echo "## Reassembly throughput (read + decode + reassemble, one thread)"
    echo
    echo "Inputs: \`mtu\` = synthetic, 400 flows x 2 MiB, 1448-byte segments, 1 % reordered, 0.5 % duplicated;"
    echo "\`small\` = synthetic, 2000 flows x 64 KiB, 64-byte segments; \`redis\` = tcpdump of redis-benchmark"
    echo "(50 clients, pipeline 4, SET/GET, 64-byte values) on loopback. Median of runs 2-6 (run 1 warms up)."
    echo "\`pcap4j-objects-decode-only\`: pcap4j's offline handle and packet factory, decoding only, same file."
    echo
    echo "| input | decoder | packets | file MB | median MB/s | median packets/s | best MB/s | best packets/s |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    tail -n +2 "$OUT/replay-reassembly.csv" | awk -F, '{printf "| %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f |\n", $1, $2, $3, $4/1e6, $5, $6, $7, $8}'
    if [[ -f $OUT/replay-capture-loss.csv && ${SKIP_LOSS:-0} != 1 ]]; then
        echo
        echo "## Live capture loss vs offered load (\`ncp-replay record\`, pcap4j, veth in namespaces, MTU 1500, offloads off)"
        echo
        echo "iperf3 sends for ${DURATION}s at each rate; loss = gap bytes / (captured + gap bytes) of the data connection."
        echo
        echo "| offered | achieved Mbit/s | captured MB | gap bytes | loss % | pcap received | pcap dropped | queue drops |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|"
        tail -n +2 "$OUT/replay-capture-loss.csv" | awk -F, '{printf "| %s | %s | %.1f | %s | %s | %s | %s | %s |\n", $1, $2, $4/1e6, $5, $6, $7, $8, $9}'
    fi
} > docs/replay-benchmark.md
cat docs/replay-benchmark.md
