"""CPU accounting of one measurement point: ovs-vswitchd, the middlebox process and the whole machine, in %
of one core over the point (so 200 = both cores of this machine). Reads /proc only."""

import os
import time

TICK = os.sysconf("SC_CLK_TCK")
OVS_PIDFILE = "/var/run/openvswitch/ovs-vswitchd.pid"


def _proc_ticks(pid):
    """utime+stime of every thread of ``pid`` (process totals include dead threads), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None


def _machine():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v) - idle


def ovs_pid():
    try:
        with open(OVS_PIDFILE) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


class Meter:
    """start() before the point, stop() after: {'cpu_ovs': %, 'cpu_mb': %, 'cpu_all': %} (None if unknown)."""

    def __init__(self, pids):
        self.pids = pids  # {'ovs': pid, 'mb': pid}

    def start(self):
        self.t0 = time.time()
        self.m0 = _machine()
        self.p0 = {k: _proc_ticks(p) if p else None for k, p in self.pids.items()}
        return self

    def stop(self):
        dt = max(time.time() - self.t0, 1e-3)
        out = {"cpu_all": round(100.0 * (_machine() - self.m0) / TICK / dt, 1)}
        for k, p in self.pids.items():
            t = _proc_ticks(p) if p else None
            out["cpu_" + k] = round(100.0 * (t - self.p0[k]) / TICK / dt, 1) if t is not None and self.p0[k] \
                is not None else None
        return out
