#!/usr/bin/env bash
# RUBiS over JDBC (MariaDB Connector/J) through the middlebox on loopback: a primary and a replica MariaDB
# (fresh, no passwords), `protocol: mysql`; loads the data through the middlebox, runs the bidding mix, prints the
# middlebox's counters and `ncp-rubis compare` (strict and relaxed). `./ncp build` first.
#   MODE=async|lockstep CLIENTS=16 DURATION=30 [PORT_BASE=23306] [KEEP=1] testbed/bench/rubis-mysql.sh
# Ports PORT_BASE..PORT_BASE+3 on 127.0.0.1; every process it starts is stopped by PID on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
W=$(mktemp -d /tmp/rubis-lo.XXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 2
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
start_db() { # name port
  local d=$W/$1; mkdir -p $d
  mariadb-install-db --no-defaults --datadir=$d/data --user=root --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
  mariadbd --no-defaults --datadir=$d/data --socket=$d/sock --port=$2 --bind-address=127.0.0.1 --skip-ssl --skip-name-resolve \
    --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 --pid-file=$d/pid --log-error=$d/err.log --user=root &
  PIDS+=($!)
  for i in $(seq 1 100); do mariadb --no-defaults -S $d/sock -u root -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.3; done
  mariadb --no-defaults -S $d/sock -u root -e "CREATE USER 'rubis'@'%'; GRANT ALL ON *.* TO 'rubis'@'%'; CREATE DATABASE rubis;"
}
PP=${PORT_BASE:-23306}; RP=$((PP + 1)); MP=$((PP + 2)); AP=$((PP + 3))
start_db primary $PP; start_db replica $RP
java -Dio.netty.leakDetectionLevel=paranoid -jar $ROOT/middlebox/target/ncp-middlebox.jar run --listen 127.0.0.1:$MP --primary 127.0.0.1:$PP \
  --replica 127.0.0.1:$RP --protocol mysql --mode ${MODE:-async} --admin 127.0.0.1:$AP --admin-token-file none > $W/mb.log 2>&1 &
PIDS+=($!)
for i in $(seq 1 100); do curl -sf http://127.0.0.1:$AP/stats >/dev/null && break; sleep 0.3; done
R="java -jar $ROOT/testbed/rubis/target/ncp-rubis.jar"
$R load --db 127.0.0.1:$MP 2>&1 | tail -2
sleep 3
$R run --db 127.0.0.1:$MP --clients ${CLIENTS:-16} --duration ${DURATION:-30} --warmup 5 2>&1 | tail -4
sleep 5
curl -s http://127.0.0.1:$AP/stats > $W/stats.json
python3 - $W/stats.json <<'PY'
import json,sys
s=json.load(open(sys.argv[1]))
for svc in s if isinstance(s,list) else s.get('services',[s]):
    p=svc.get('protocol',{}); r=svc['replicas'][0]
    print("sessions", svc['sessions'], "requests", p.get('requests'), "noisy", p.get('noisy'),
          "nondeterministicWrites", p.get('nondeterministicWrites'), "framingErrors", p.get('framingErrors'),
          "lockstepDrops", svc.get('lockstepDrops'))
    print("replica", r['consistency'], "compared", r['compared'], "divergent", r['divergent'], "uncompared", r['uncompared'], "damaged", r['damaged'])
    print("reason", r['consistencyReason'][:300])
PY
grep -a "diverged\|per-server function" $W/mb.log | head -5 | cut -c1-300 || true
$R compare --primary 127.0.0.1:$PP --replica 127.0.0.1:$RP 2>&1 | tail -15
[ -z "${KEEP:-}" ] || echo "workdir $W (KEEP set: not removed)"
