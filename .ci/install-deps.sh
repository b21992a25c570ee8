#!/usr/bin/env bash
# Installs every Debian package NCP's tests and testbed need. `--if-missing` does nothing when all are present.
set -euo pipefail
PACKAGES=(
    openjdk-17-jdk-headless maven
    redis-server redis-tools postgresql postgresql-client mariadb-server
    iperf3 nginx-light wrk httperf haproxy
    tcpdump tshark libpcap0.8 ethtool iproute2 procps psmisc openssl nftables curl
    openvswitch-switch mininet python3-matplotlib
    chromium  # headless browser: the status page test (middlebox ui.StatusPageTest)
)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# services must not auto-start: tests start their own servers on free loopback ports
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}"
