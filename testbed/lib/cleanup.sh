#!/usr/bin/env bash
# Removes exactly what the NCP testbed created (ncpt-* namespaces, bridges, veths, recorded PIDs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
exec /usr/bin/python3 -m ncpt.cleanup "$@"
