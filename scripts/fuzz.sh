#!/usr/bin/env bash
# Runs the Jazzer fuzz targets in fuzzing mode (docs/fuzzing.md), one JVM per target.
#
#   scripts/fuzz.sh [--duration D] [--jobs N] [--keep-going K] [--list] [TARGET...]
#
# TARGET: a name from --list, or "all" (default). D: seconds or 30s/10m/2h per target (default 10m). N: targets run
# at once (default 1; each uses one core). K: go on after a finding until K distinct ones (default 1: stop).
# Each target's generated corpus grows in <module>/.cifuzz-corpus/ (kept between runs, not committed); a crashing
# input is written next to the committed seeds, into src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>,
# and replays in `mvn verify` from then on. Logs: <module>/target/fuzz/<target>.log. Exit status: 0 when no target
# found anything, 1 when one did, 2 on usage errors.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# name module class method [extra jazzer flags]
TARGETS=(
    "pcap replay io.ncp.replay.capture.CaptureFileFuzzTest pcap"
    "pcapng replay io.ncp.replay.capture.CaptureFileFuzzTest pcapng"
    "decoder replay io.ncp.replay.decode.PacketDecoderFuzzTest decode"
    "reassembler replay io.ncp.replay.reassembly.TcpReassemblerFuzzTest segments"
    "journal-damage replay io.ncp.replay.journal.JournalFuzzTest damagedJournal"
    "journal-raw replay io.ncp.replay.journal.JournalFuzzTest rawTail"
    "record replay io.ncp.replay.journal.RecordPipelineFuzzTest record"
    "config middlebox io.ncp.middlebox.config.ConfigLoaderFuzzTest configFile --instrument=io.ncp.**,com.fasterxml.jackson.dataformat.yaml.**,org.yaml.snakeyaml.**"
    "service middlebox io.ncp.middlebox.config.ConfigLoaderFuzzTest serviceBody --instrument=io.ncp.**,com.fasterxml.jackson.core.**"
    "resp middlebox io.ncp.middlebox.demo.RespDecoderFuzzTest respStream"
    "pgmask middlebox io.ncp.middlebox.digest.PostgresKeyMaskFuzzTest answerStream"
    "respframe middlebox io.ncp.middlebox.proto.resp.RespFramingFuzzTest streams"
    "pgframe middlebox io.ncp.middlebox.proto.pg.PgFramingFuzzTest streams"
    "myframe middlebox io.ncp.middlebox.proto.mysql.MySqlFramingFuzzTest streams"
    "auth middlebox io.ncp.middlebox.auth.AuthHandlerFuzzTest exchange"
)

usage() {
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
    echo "fuzz.sh: $*" >&2
    exit 2
}

seconds() {
    local d=$1
    case "$d" in
        *[!0-9smh]* | "" | [smh]*) die "bad duration '$d' (e.g. 30s, 10m, 2h)" ;;
        *h) echo $(( ${d%h} * 3600 )) ;;
        *m) echo $(( ${d%m} * 60 )) ;;
        *s) echo "${d%s}" ;;
        *) echo "$d" ;;
    esac
}

duration=600
jobs=1
keep_going=1
selected=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) [[ $# -ge 2 ]] || die "--duration needs a value"; duration=$(seconds "$2"); shift 2 ;;
        --duration=*) duration=$(seconds "${1#*=}"); shift ;;
        --jobs) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a positive number"; jobs=$2; shift 2 ;;
        --keep-going)
            [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || die "--keep-going needs a positive number"
            keep_going=$2
            shift 2
            ;;
        --list) for t in "${TARGETS[@]}"; do read -r n m c f _ <<<"$t"; echo "$n  ($m: $c#$f)"; done; exit 0 ;;
        -h | --help) usage; exit 0 ;;
        -*) die "unknown option '$1'" ;;
        all) shift ;;
        *) selected+=("$1"); shift ;;
    esac
done
[[ $duration -ge 1 ]] || die "duration must be at least 1s"

run=()
for t in "${TARGETS[@]}"; do
    read -r name _ <<<"$t"
    if [[ ${#selected[@]} -eq 0 ]]; then
        run+=("$t")
        continue
    fi
    for s in "${selected[@]}"; do
        [[ $s == "$name" ]] && run+=("$t")
    done
done
for s in "${selected[@]}"; do
    printf '%s\n' "${TARGETS[@]}" | grep -q "^$s " || die "unknown target '$s' (see --list)"
done

cd "$ROOT"
echo "fuzz.sh: compiling tests and resolving the test class paths ..." >&2
mvn -q -B -pl replay,middlebox test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz.classpath \
    -Dmdep.includeScope=test >&2

# Instrument the code under test, not the fuzz harnesses and test helpers (their comparisons only slow the loop
# down): every class compiled from src/test is excluded by name (Jazzer's filters match packages, not suffixes).
test_classes() {
    (cd "$1" && find . -name '*.class' | sed 's|^\./||; s|\.class$||; s|/|.|g')
}
excludes=$( (test_classes replay/target/test-classes; test_classes middlebox/target/test-classes) | paste -sd: -)

# one target: fuzz it, then print a summary line from libFuzzer's last status line
fuzz_one() {
    local name=$1 module=$2 class=$3 method=$4
    shift 4
    local dir="$ROOT/$module"
    local log="$dir/target/fuzz/$name.log"
    mkdir -p "$dir/target/fuzz"
    local cp="$dir/target/test-classes:$dir/target/classes:$(cat "$dir/target/fuzz.classpath")"
    local rc=0
    # Netty's leak detector only logs (a leak would not stop the fuzzer) and costs 16x at paranoid on the RESP
    # target: off here; harnesses check buffer release by reference count, and `mvn verify` runs them paranoid
    (cd "$dir" && exec java -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetectionLevel=disabled \
        -cp "$cp" com.code_intelligence.jazzer.Jazzer --target_class="$class" --target_method="$method" \
        --keep_going="$keep_going" --instrumentation_excludes="$excludes" "$@" \
        -max_total_time="$duration" -timeout=20 >"$log" 2>&1) || rc=$?
    local last
    last=$(grep -aE '^#[0-9]+' "$log" | tail -1 || true)
    # with --keep-going, Jazzer exits 0 after findings: count the inputs it wrote instead
    local found
    found=$(grep -ac "Test unit written to" "$log" || true)
    if [[ $rc -eq 0 && $found -eq 0 ]]; then
        printf '%-15s ok     %s\n' "$name" "${last:-no status line, see $log}"
        return 0
    fi
    printf '%-15s FOUND  %d input(s), exit %d; %s; log: %s\n' "$name" "$found" "$rc" "${last:-}" "$log"
    grep -aoE "Test unit written to [^ ]+" "$log" | sed 's/Test unit written to /                input: /' || true
    return 1
}

echo "fuzz.sh: ${#run[@]} target(s), ${duration}s each, $jobs at a time" >&2
failed=0
pids=()
for t in "${run[@]}"; do
    # shellcheck disable=SC2086
    fuzz_one $t &
    pids+=($!)
    if [[ ${#pids[@]} -ge $jobs ]]; then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do
    wait "$p" || failed=1
done
exit "$failed"
