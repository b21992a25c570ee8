#!/usr/bin/env bash
# JMH microbenchmarks of the data path (jmh/ module): ring publish/poll, block digest, TCP reassembly.
#
#   scripts/jmh.sh [--out PREFIX] [--quick] [JMH ARGS...]
#
# Builds jmh/target/ncp-benchmarks.jar (reactor build, nothing installed), runs it, and writes PREFIX.json (JMH's
# results) and PREFIX.md (a table with the derived rates and the 1-min load average before and after); PREFIX
# defaults to docs/perf/jmh. --quick: 1 warm-up and 2 measurement iterations of 1 s (a smoke run, not figures).
# Extra arguments go to JMH (e.g. a benchmark regex: scripts/jmh.sh Digest). Exit 2 on usage errors.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/docs/perf/jmh"
JMH_ARGS=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --out) [[ $# -ge 2 ]] || { echo "jmh.sh: --out needs a PREFIX" >&2; exit 2; }; OUT=$2; shift 2 ;;
        --quick) JMH_ARGS+=(-wi 1 -i 2 -w 1s -r 1s); shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) JMH_ARGS+=("$1"); shift ;;
    esac
done
mkdir -p "$(dirname "$OUT")"
cd "$ROOT"
mvn -q -B -pl jmh -am package -DskipTests
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
java -jar jmh/target/ncp-benchmarks.jar -rf json -rff "$OUT.json" ${JMH_ARGS[@]+"${JMH_ARGS[@]}"}
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/env python3 "$ROOT/scripts/perf/jmhreport.py" "$OUT.json" "$OUT.md" "$STARTED" "$LOAD_BEFORE" "$LOAD_AFTER" \
    "$(nproc)" "${JMH_ARGS[*]-}"
