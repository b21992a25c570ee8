#!/usr/bin/env bash
# Smoke check run by `./ncp test` as root (starts Open vSwitch if needed and stops it again; not part of `mvn verify`):
# builds Mininet's tree depth=2 out of three netdev bridges and four namespaces (named ncpoXXX-*, XXX random per run),
# installs ncp-plan's flows (+ --base-routes) and runs the real thing: a redis-server primary on h2, the middlebox
# (middlebox/target/ncp-middlebox.jar) on h3, a redis-server replica on h4. Client h1's Redis sessions to the primary's
# address 10.0.0.2:6379 must be answered correctly through the middlebox (the primary sees the middlebox's address)
# and replicated (the replica's DEBUG DIGEST equals the primary's, the middlebox's /stats counts the sessions); h4's
# sessions are not redirected (the primary sees h4). Modes:
#   tunnel (default): the redirect rewrites the sessions to the middlebox's 10.0.0.3:7000, its ordinary listener;
#   non-tunnel: the sessions keep the primary's address; h3 runs `ncp-plan --middlebox-setup` (TPROXY to the
#     middlebox's transparent listener on 0.0.0.0:6379), which must equal the recipe the middlebox logs.
# Removes everything it created on exit (processes by PID, bridges/veths/namespaces by name).
#   usage: onos-app/scripts/ovs-plan-smoke.sh [tunnel|non-tunnel]
set -euo pipefail
MODE=${1:-tunnel}
[[ $MODE == tunnel || $MODE == non-tunnel ]] || { echo "usage: $0 [tunnel|non-tunnel]" >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/onos-app/target/ncp-plan.jar"
MB_JAR="$ROOT/middlebox/target/ncp-middlebox.jar"
WORK=$(mktemp -d /tmp/ncpo-smoke.XXXXXX)
PFX=ncpo$(printf %03x $((RANDOM % 4096)))
PIDS=()
STARTED_OVS=0
CREATED=()

cleanup() {
    for p in "${PIDS[@]:-}"; do [[ -n $p ]] && kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]:-}"; do # bounded wait for each process we started
        for _ in $(seq 50); do [[ -n $p ]] && kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    done
    for b in 1 2 3; do [[ " ${CREATED[*]:-} " == *" s$b "* ]] && ovs-vsctl --if-exists del-br "$PFX-s$b"; done
    for n in 1 2 3 4; do
        if [[ " ${CREATED[*]:-} " == *" h$n "* ]]; then
            ip netns del "$PFX-h$n" 2>/dev/null || true
            ip link del "$PFX-h${n}p" 2>/dev/null || true
        fi
    done
    [[ ${KEEP_LOGS:-0} == 1 ]] && echo "logs kept in $WORK" >&2 || rm -rf "$WORK"
    # Open vSwitch is a shared daemon: stop it only if this run started it and no bridge (anyone's) remains
    if [[ $STARTED_OVS == 1 && -z $(ovs-vsctl --timeout=5 list-br 2>/dev/null) ]]; then
        /usr/share/openvswitch/scripts/ovs-ctl stop >/dev/null || true
    fi
}
trap cleanup EXIT
fail() { echo "FAIL ($MODE): $*" >&2; for f in "$WORK"/*.log; do echo "--- $f" >&2; tail -20 "$f" >&2; done; exit 1; }
for f in "$JAR" "$MB_JAR"; do
    [[ -f $f ]] || { echo "build first: mvn -B -q package -DskipTests (missing $f)" >&2; exit 2; }
done
for b in redis-server redis-cli curl java ovs-vsctl ovs-ofctl; do
    command -v "$b" >/dev/null || { echo "missing $b: run .ci/install-deps.sh" >&2; exit 2; }
done
[[ $MODE == tunnel ]] || command -v nft >/dev/null || { echo "missing nft: apt-get install nftables" >&2; exit 2; }
if ip netns list | grep -q "^$PFX-"; then echo "namespace prefix $PFX in use, run again" >&2; exit 1; fi
if ! ovs-vsctl --timeout=5 show >/dev/null 2>&1; then
    /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random >/dev/null
    STARTED_OVS=1
fi

for b in 1 2 3; do
    CREATED+=("s$b")
    ovs-vsctl add-br "$PFX-s$b" -- set bridge "$PFX-s$b" datapath_type=netdev protocols=OpenFlow13 \
        fail_mode=secure
done
patch() { # bridge port peer-bridge peer-port
    ovs-vsctl add-port "$PFX-s$1" "$PFX-s$1-p$2" -- set interface "$PFX-s$1-p$2" type=patch \
        options:peer="$PFX-s$3-p$4" ofport_request="$2"
}
patch 1 1 2 3; patch 2 3 1 1; patch 1 2 3 3; patch 3 3 1 2
host() { # n bridge port
    local ns="$PFX-h$1"
    CREATED+=("h$1")
    ip netns add "$ns"
    ip link add "$PFX-h$1p" type veth peer name eth0 netns "$ns"
    ip -n "$ns" link set eth0 address "00:00:00:00:00:0$1"
    ip -n "$ns" addr add "10.0.0.$1/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null
    ip link set "$PFX-h$1p" up
    ovs-vsctl add-port "$PFX-s$2" "$PFX-h$1p" -- set interface "$PFX-h$1p" ofport_request="$3"
}
host 1 2 1; host 2 2 2; host 3 3 1; host 4 3 2
on() { local n=$1; shift; ip netns exec "$PFX-h$n" "$@"; }
# in the background: `exec` makes $! the server's own PID (ip netns exec execs it), so cleanup's kill reaches it
# (with `on ... &` $! was a subshell's: killing it left redis-server and the middlebox running)
on_bg() { local n=$1; shift; exec ip netns exec "$PFX-h$n" "$@"; }

sed "s/\"s\([123]\)\"/\"$PFX-s\1\"/g" "$ROOT/configs/ncp-plan/tree-depth2.json" > "$WORK/topo.json"
if [[ $MODE == tunnel ]]; then
    LISTEN=10.0.0.3:7000
    MB_FLAGS=()
    sed 's/admin: .*/admin: 127.0.0.1:9/' "$ROOT/configs/ncp-plan/redis-spec.yaml" > "$WORK/spec.yaml"
else
    LISTEN=0.0.0.0:6379 # what the ONOS app pushes in non-tunnel mode, with "transparent": true
    MB_FLAGS=(--transparent)
    sed -e 's/listenPort: 7000/listenPort: 6379/' -e 's/tunnel: true/tunnel: false/' \
        "$ROOT/configs/ncp-plan/redis-spec.yaml" > "$WORK/spec.yaml"
fi
java -jar "$JAR" --topology "$WORK/topo.json" --spec "$WORK/spec.yaml" --base-routes > "$WORK/flows.sh"
bash -e "$WORK/flows.sh"
echo "installed $(wc -l < "$WORK/flows.sh") flows" >&2
java -jar "$JAR" --topology "$WORK/topo.json" --spec "$WORK/spec.yaml" --middlebox-setup > "$WORK/mb-setup.sh"
on 3 bash -e "$WORK/mb-setup.sh"

redis() { # n port: a redis-server in host n
    mkdir -p "$WORK/redis-h$1"
    on_bg "$1" redis-server --port "$2" --bind 0.0.0.0 --protected-mode no --save "" --appendonly no \
        --enable-debug-command local --daemonize no --dir "$WORK/redis-h$1" > "$WORK/redis-h$1.log" 2>&1 &
    PIDS+=($!)
}
redis 2 6379 # the primary
redis 4 6379 # the replica (spec: 10.0.0.4:6379)
on_bg 3 java -Xmx512m -jar "$MB_JAR" run --name redis --listen "$LISTEN" --primary 10.0.0.2:6379 \
    --replica 10.0.0.4:6379 "${MB_FLAGS[@]}" --threads 2 --admin 127.0.0.1:9090 \
    --admin-token-file "$WORK/admin-token" --stats-interval 0 \
    > "$WORK/middlebox.log" 2>&1 &
PIDS+=($!)
MB_PID=$!

up=0
for _ in $(seq 150); do # up to ~30 s for the JVM and both redis-servers
    if on 3 curl -s -o /dev/null http://127.0.0.1:9090/health && on 2 redis-cli -p 6379 PING >/dev/null 2>&1 \
        && on 4 redis-cli -p 6379 PING >/dev/null 2>&1; then up=1; break; fi
    kill -0 "$MB_PID" 2>/dev/null || fail "the middlebox exited"
    sleep 0.2
done
[[ $up == 1 ]] || fail "the middlebox or a redis-server did not come up"
if [[ $MODE == non-tunnel ]]; then # the plan's host recipe and the one the middlebox logged must be the same
    sed -n '/^nft -f/,/^ip route replace/p' "$WORK/middlebox.log" > "$WORK/mb-logged.sh"
    grep -v '^#' "$WORK/mb-setup.sh" | diff - "$WORK/mb-logged.sh" >&2 \
        || fail "ncp-plan --middlebox-setup differs from the middlebox's logged recipe"
fi

N=10
for i in $(seq $N); do
    got=$(on 1 timeout 20 redis-cli -h 10.0.0.2 -p 6379 INCR counter) || fail "h1 session $i: redis-cli failed"
    [[ $got == "$i" ]] || fail "h1 session $i: INCR answered '$got'"
    on 1 timeout 20 redis-cli -h 10.0.0.2 -p 6379 RPUSH list "item$i" >/dev/null || fail "h1 RPUSH $i failed"
done
peer() { on "$1" timeout 20 redis-cli -h 10.0.0.2 -p 6379 CLIENT INFO | tr ' ' '\n' | sed -n 's/^addr=\(.*\):.*/\1/p'; }
VIA=$(peer 1)
DIRECT=$(peer 4)
echo "h1's sessions reach the primary from $VIA; h4's from $DIRECT" >&2
[[ $VIA == 10.0.0.3 ]] || fail "h1's sessions should reach the primary through the middlebox 10.0.0.3, came from '$VIA'"
[[ $DIRECT == 10.0.0.4 ]] || fail "h4's sessions should reach the primary directly, came from '$DIRECT'"

same=0
for _ in $(seq 100); do # up to ~20 s for the replica to catch up
    P=$(on 2 redis-cli -p 6379 DEBUG DIGEST); R=$(on 4 redis-cli -p 6379 DEBUG DIGEST)
    [[ $P == "$R" ]] && { same=1; break; }
    sleep 0.2
done
[[ $same == 1 ]] || fail "replica digest $R != primary digest $P"
[[ $(on 4 redis-cli -p 6379 GET counter) == "$N" ]] || fail "replica counter is not $N"

stats() { # /stats with the admin API's bearer token (the middlebox created the file at start)
    local code
    [[ -r $WORK/admin-token ]] || fail "the middlebox did not create its admin token file"
    code=$(on 3 curl -s -o "$WORK/stats.json" -w '%{http_code}' -H "Authorization: Bearer $(cat "$WORK/admin-token")" \
        http://127.0.0.1:9090/stats)
    [[ $code == 200 ]] || fail "/stats answered HTTP $code"
}
stats
SESSIONS=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["services"][0]; r=s["replicas"][0]
print(s["sessions"], r["sessions"], r["damaged"], s["primaryFailures"])' "$WORK/stats.json")
echo "middlebox /stats: sessions, replica sessions, damaged, primary failures = $SESSIONS" >&2
[[ $SESSIONS == "$((2 * N + 1)) $((2 * N + 1)) 0 0" ]] \
    || fail "the middlebox should count $((2 * N + 1)) sessions, all replicated, none damaged: $SESSIONS"
grep -q "LEAK:" "$WORK/middlebox.log" && fail "the middlebox reported a buffer leak"
echo "OK ($MODE): h1's $((2 * N + 1)) Redis sessions to 10.0.0.2:6379 went through the middlebox on h3 and were" \
    "replicated to h4 (digests equal); h4's session reached the primary directly"
