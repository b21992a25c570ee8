"""Removes exactly what the testbed created: recorded PIDs, ``ncpt-*`` namespaces, OVS bridges and links.

Run as ``/usr/bin/python3 -m ncpt.cleanup`` (testbed/lib/cleanup.sh). Never touches a name without the
prefix; never kills by process name.
"""

import os
import signal
import subprocess
import sys

from . import names, netns, procs


def _lines(argv):
    try:
        return subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              timeout=20).stdout.splitlines()
    except (OSError, subprocess.TimeoutExpired):
        return []


def kill_recorded():
    if not os.path.exists(names.PID_FILE):
        return 0
    n = 0
    with open(names.PID_FILE) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or not parts[0].isdigit():
                continue
            pid, start = int(parts[0]), parts[1]
            if procs.alive_and_ours(pid, start):
                if len(parts) > 2 and parts[2].startswith("mininet-host:"):
                    from .mntopo import kill_in_netns_of
                    kill_in_netns_of(pid)
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    try:
                        os.kill(pid, sig)
                    except ProcessLookupError:
                        break
                n += 1
    os.remove(names.PID_FILE)
    return n


def main():
    killed = kill_recorded()
    ns_list = [l.split()[0] for l in _lines(["ip", "netns", "list"]) if l.strip()]
    ours = [ns for ns in ns_list if names.ours(ns)]
    for ns in ours:
        netns.kill_netns_pids(ns)
        subprocess.run(["ip", "netns", "del", ns], check=False)
    bridges = []
    if os.path.exists("/var/run/openvswitch/db.sock"):
        bridges = [b for b in _lines(["ovs-vsctl", "--timeout=10", "list-br"]) if names.ours(b)]
        for br in bridges:
            subprocess.run(["ovs-vsctl", "--timeout=10", "--if-exists", "del-br", br], check=False)
    links = []
    for line in _lines(["ip", "-o", "link", "show"]):
        name = line.split(":")[1].strip().split("@")[0]
        if names.ours(name):
            links.append(name)
            subprocess.run(["ip", "link", "del", name], check=False, stderr=subprocess.DEVNULL)
    print("ncpt cleanup: %d processes, namespaces %s, OVS bridges %s, links %s"
          % (killed, ours or "-", bridges or "-", links or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
