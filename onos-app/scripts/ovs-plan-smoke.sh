#!/usr/bin/env bash
# Smoke check run by `./ncp test` as root (starts Open vSwitch if needed and stops it again; not part of `mvn verify`): builds
# Mininet's tree depth=2 out of three netdev bridges and four namespaces (all named ncpo-*), installs ncp-plan's flows (+ --base-routes)
# and checks that a TCP session from h1 to the "primary" h2:6379 is answered by the "middlebox" h3 instead, while
# the client still sees the primary's address. Mode: tunnel (default) or non-tunnel (h3 gets an AnyIP route for
# the primary's address, arp_announce=2, and listens on the primary port). Removes everything it created on exit.
#   usage: onos-app/scripts/ovs-plan-smoke.sh [tunnel|non-tunnel]
set -euo pipefail
MODE=${1:-tunnel}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/onos-app/target/ncp-plan.jar"
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/ncpo-smoke.XXXXXX)
PIDS=()

cleanup() {
    for p in "${PIDS[@]:-}"; do [[ -n $p ]] && kill "$p" 2>/dev/null || true; done
    for b in ncpo-s1 ncpo-s2 ncpo-s3; do ovs-vsctl --if-exists del-br "$b"; done
    for n in 1 2 3 4; do
        ip netns del "ncpo-h$n" 2>/dev/null || true
        ip link del "ncpo-h${n}p" 2>/dev/null || true
    done
    rm -rf "$WORK"
    # Open vSwitch is a shared daemon: stop it only if this run started it and no bridge (anyone's) remains
    if [[ $STARTED_OVS == 1 && -z $(ovs-vsctl --timeout=5 list-br 2>/dev/null) ]]; then
        /usr/share/openvswitch/scripts/ovs-ctl stop >/dev/null || true
    fi
}
STARTED_OVS=0
trap cleanup EXIT
[[ -f $JAR ]] || { echo "build first: mvn -B -q -pl onos-app package -DskipTests" >&2; exit 2; }
if ! ovs-vsctl --timeout=5 show >/dev/null 2>&1; then
    /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random >/dev/null
    STARTED_OVS=1
fi

for b in 1 2 3; do
    ovs-vsctl add-br "ncpo-s$b" -- set bridge "ncpo-s$b" datapath_type=netdev protocols=OpenFlow13 \
        fail_mode=secure
done
patch() { # bridge port peer-bridge peer-port
    ovs-vsctl add-port "ncpo-s$1" "ncpo-s$1-p$2" -- set interface "ncpo-s$1-p$2" type=patch \
        options:peer="ncpo-s$3-p$4" ofport_request="$2"
}
patch 1 1 2 3; patch 2 3 1 1; patch 1 2 3 3; patch 3 3 1 2
host() { # n bridge port
    local ns="ncpo-h$1"
    ip netns add "$ns"
    ip link add "ncpo-h$1p" type veth peer name eth0 netns "$ns"
    ip -n "$ns" link set eth0 address "00:00:00:00:00:0$1"
    ip -n "$ns" addr add "10.0.0.$1/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null
    ip link set "ncpo-h$1p" up
    ovs-vsctl add-port "ncpo-s$2" "ncpo-h$1p" -- set interface "ncpo-h$1p" ofport_request="$3"
}
host 1 2 1; host 2 2 2; host 3 3 1; host 4 3 2

sed 's/"s\([123]\)"/"ncpo-s\1"/g' "$ROOT/configs/ncp-plan/tree-depth2.json" > "$WORK/topo.json"
if [[ $MODE == tunnel ]]; then
    LISTEN=7000
    sed 's/admin: .*/admin: 127.0.0.1:9/' "$ROOT/configs/ncp-plan/redis-spec.yaml" > "$WORK/spec.yaml"
else
    LISTEN=6379
    sed -e 's/listenPort: 7000/listenPort: 6379/' -e 's/tunnel: true/tunnel: false/' \
        "$ROOT/configs/ncp-plan/redis-spec.yaml" > "$WORK/spec.yaml"
    ip netns exec ncpo-h3 ip route add local 10.0.0.2/32 dev lo table local
    # ARP for the client with the middlebox's own address, not the primary's (else the reply goes to the primary)
    ip netns exec ncpo-h3 sysctl -q -w net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.eth0.arp_announce=2
fi
java -jar "$JAR" --topology "$WORK/topo.json" --spec "$WORK/spec.yaml" --base-routes > "$WORK/flows.sh"
bash -e "$WORK/flows.sh"
echo "installed $(wc -l < "$WORK/flows.sh") flows" >&2

SERVER='import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(4)
while True:
    c, peer = s.accept(); c.recv(100); c.sendall((sys.argv[2] + " saw " + peer[0] + "\n").encode()); c.close()'
ip netns exec ncpo-h2 "$PY" -c "$SERVER" 6379 primary & PIDS+=($!)
ip netns exec ncpo-h3 "$PY" -c "$SERVER" "$LISTEN" middlebox & PIDS+=($!)
sleep 1
CLIENT='import socket
c=socket.create_connection(("10.0.0.2", 6379), timeout=10); c.sendall(b"hello")
print("client connected to %s:%d, answer: %s" % (c.getpeername() + (c.recv(100).decode().strip(),)))'
OUT=$(ip netns exec ncpo-h1 timeout 20 "$PY" -c "$CLIENT")
echo "$OUT"
DIRECT=$(ip netns exec ncpo-h4 timeout 20 "$PY" -c "${CLIENT}")
echo "not redirected (h4): $DIRECT"
[[ $OUT == "client connected to 10.0.0.2:6379, answer: middlebox saw 10.0.0.1" ]] || { echo "FAIL" >&2; exit 1; }
[[ $DIRECT == "client connected to 10.0.0.2:6379, answer: primary saw 10.0.0.4" ]] || { echo "FAIL" >&2; exit 1; }
echo "OK ($MODE): h1's session reached the middlebox; h4's reached the primary"
