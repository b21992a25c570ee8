"""Open vSwitch is a shared system daemon: start it when absent, stop it only if we started it and no
bridge (ours or anyone's) remains."""

import os
import subprocess

OVS_CTL = "/usr/share/openvswitch/scripts/ovs-ctl"
DB_SOCK = "/var/run/openvswitch/db.sock"


def running():
    if not os.path.exists(DB_SOCK):
        return False
    return subprocess.run(["ovs-vsctl", "--timeout=5", "show"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def ensure_running():
    """Returns True when this call started OVS (the caller then owns stopping it)."""
    if running():
        return False
    subprocess.run([OVS_CTL, "start", "--system-id=random"], check=True, timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not running():
        raise RuntimeError("Open vSwitch did not start (%s start)" % OVS_CTL)
    return True


def stop_if_idle(started_by_us):
    if not started_by_us or not running():
        return False
    bridges = subprocess.run(["ovs-vsctl", "--timeout=5", "list-br"], text=True, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout.split()
    if bridges:
        return False
    subprocess.run([OVS_CTL, "stop"], timeout=120, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return True
