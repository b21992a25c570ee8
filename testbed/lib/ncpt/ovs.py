"""Open vSwitch is a shared system daemon: start it when absent, stop it only if we started it and no
bridge (ours or anyone's) remains."""

import os
import subprocess

OVS_CTL = "/usr/share/openvswitch/scripts/ovs-ctl"
DB_SOCK = "/var/run/openvswitch/db.sock"
PID_FILE = "/var/run/openvswitch/ovs-vswitchd.pid"

# glibc's malloc hands the top of its heap back to the kernel (brk) whenever more than 128 KiB is free there. With
# jumbo frames the userspace datapath allocates and frees a few hundred KB of packet buffers per receive batch, so
# every poll iteration of ovs-vswitchd shrank and regrew its heap and faulted the pages in again. Measured on
# 2026-12-03 (direct httperf, 1 KiB x 5 calls, 1,000 connections at 100/s, MTU 9000): 10,844 brk(2) calls in 5 s,
# ovs-vswitchd at 17.5 % CPU, 8.2 ms per connection (median 6.5, 1.2 ms per reply); started with these tunables: no
# brk, 3.3 % CPU, 2.3 ms (median 1.5, 0.3 ms per reply). On 2026-11-23, on another machine, the same points took
# 0.8-3.1 ms without them: how much a page fault costs depends on the VM (testbed/results/FINDINGS.md, finding 2).
MALLOC_TUNABLES = ("glibc.malloc.trim_threshold=536870912:glibc.malloc.top_pad=67108864:"
                   "glibc.malloc.mmap_threshold=33554432")


def running():
    if not os.path.exists(DB_SOCK):
        return False
    return subprocess.run(["ovs-vsctl", "--timeout=5", "show"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def ensure_running():
    """Returns True when this call started OVS (the caller then owns stopping it)."""
    if running():
        return False
    env = dict(os.environ, GLIBC_TUNABLES=MALLOC_TUNABLES)
    subprocess.run([OVS_CTL, "start", "--system-id=random"], check=True, timeout=120, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not running():
        raise RuntimeError("Open vSwitch did not start (%s start)" % OVS_CTL)
    return True


def malloc_tuned():
    """True when the running ovs-vswitchd was started with MALLOC_TUNABLES' heap settings, False when without,
    None when that cannot be read. An OVS started by someone else keeps glibc's defaults: its switch is slower
    (see MALLOC_TUNABLES), which a run's results must say."""
    try:
        with open(PID_FILE) as f:
            pid = int(f.read().strip())
        with open("/proc/%d/environ" % pid, "rb") as f:
            env = f.read().split(b"\0")
    except (OSError, ValueError):
        return None
    return any(e.startswith(b"GLIBC_TUNABLES=") and b"trim_threshold" in e for e in env)


def stop_if_idle(started_by_us):
    if not started_by_us or not running():
        return False
    bridges = subprocess.run(["ovs-vsctl", "--timeout=5", "list-br"], text=True, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL).stdout.split()
    if bridges:
        return False
    subprocess.run([OVS_CTL, "stop"], timeout=120, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return True
