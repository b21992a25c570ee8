# Sourced by testbed scripts: one testbed run at a time (flock), cleanup of everything ncpt-* on exit.
NCPT_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NCPT_STATE_DIR=${NCPT_STATE_DIR:-/tmp/ncpt-state}
export NCPT_STATE_DIR

ncpt_require_root() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "$(basename "$0"): needs root (namespaces, tc, Open vSwitch)" >&2
        exit "${1:-1}"
    fi
}

# Takes the testbed lock (fails after $NCPT_LOCK_WAIT s, default 10, if another testbed run holds it: the
# ncpt-* names and the state dir are shared by every checkout, so runs must not overlap) and arranges for
# testbed/lib/cleanup.sh to run on exit, interrupt or termination.
ncpt_lock_and_trap() {
    ncpt_require_root
    if [[ ${NCPT_LOCKED:-} == 1 ]]; then
        return 0  # run by run-all.sh, which holds the lock and cleans up
    fi
    export NCPT_LOCKED=1
    mkdir -p "$NCPT_STATE_DIR"
    exec 9>"$NCPT_STATE_DIR/lock"
    if ! flock -w "${NCPT_LOCK_WAIT:-10}" 9; then
        echo "$(basename "$0"): another testbed run holds $NCPT_STATE_DIR/lock" >&2
        exit 1
    fi
    trap '"$NCPT_LIB/cleanup.sh" >&2 || true' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    ulimit -n 65536 2>/dev/null || true
}
