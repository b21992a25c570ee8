"""What the soak samples: a process's RSS, descriptors and CPU from /proc, a JVM's native memory and heap through
one ``jcmd`` call, the middlebox's admin API, and Redis through ``redis-cli``. Reads only; never signals anything.

Direct memory: the middlebox's ``/stats`` ``process.directMemory`` when it reports one; otherwise Native Memory
Tracking's ``Other`` category (the JVM must run with ``-XX:NativeMemoryTracking=summary``): the memory taken
with ``Unsafe.allocateMemory``, i.e. java.nio direct buffers *and* Netty's cleaner-less direct buffers
(``-Dio.netty.tryReflectionSetAccessible=true``, which the middlebox's launcher passes). The JMX
``BufferPool`` "direct" counter does not see the latter, so it is not used.
"""

import json
import os
import re
import subprocess
import urllib.error
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")
JCMD_COMMANDS = "VM.native_memory summary\nGC.heap_info\n"


def proc_status(pid):
    """{'rss_kib', 'threads'} from /proc/PID/status, or {} when the process is gone."""
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    out["rss_kib"] = int(line.split()[1])
                elif line.startswith("Threads:"):
                    out["threads"] = int(line.split()[1])
    except OSError:
        return {}
    return out


def fd_count(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None


def fd_limits(pid):
    """(soft, hard) RLIMIT_NOFILE of a running process (from /proc/PID/limits), or (None, None)."""
    try:
        with open("/proc/%d/limits" % pid) as f:
            for line in f:
                if line.startswith("Max open files"):
                    parts = line.split()
                    return int(parts[3]), int(parts[4])
    except (OSError, ValueError, IndexError):
        pass
    return None, None


def cpu_ticks(pid):
    """utime + stime of a process (all its threads), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None


def machine_busy_ticks():
    """(busy, total) jiffies of all CPUs since boot."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4], sum(v)


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class CpuMeter:
    """% of one core used by each tracked PID (and by the whole machine) between two calls of ``sample``."""

    def __init__(self):
        self.last = {}

    def sample(self, now, pids):
        out = {}
        busy, total = machine_busy_ticks()
        prev = self.last.get("machine")
        if prev:
            out["machine_busy_pct"] = round(100.0 * (busy - prev[0]) / max(1, total - prev[1]), 1)
        self.last["machine"] = (busy, total)
        for name, plist in pids.items():
            ticks = [cpu_ticks(p) for p in plist if p]
            t = sum(x for x in ticks if x is not None) if any(x is not None for x in ticks) else None
            prev = self.last.get(name)
            if t is not None and prev is not None and now > prev[1]:
                out[name + "_cpu_pct"] = round(100.0 * (t - prev[0]) / TICK / (now - prev[1]), 1)
            self.last[name] = (t, now) if t is not None else None
        return out


def jvm_sample(pid, cmdfile, timeout=60):
    """One ``jcmd PID -f FILE`` call: NMT summary + GC.heap_info, parsed into KiB figures (missing keys when a
    section is absent, e.g. NMT off). ``cmdfile`` holds JCMD_COMMANDS."""
    try:
        res = subprocess.run(["jcmd", str(pid), "-f", cmdfile], text=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"jcmd_error": "timeout"}
    text = res.stdout
    out = {}
    m = re.search(r"^Total: reserved=(\d+)KB, committed=(\d+)KB", text, re.M)
    if m:
        out["nmt_committed_kib"] = int(m.group(2))
    m = re.search(r"^-\s+Other \(reserved=(\d+)KB, committed=(\d+)KB\)", text, re.M)
    if m:
        out["nmt_other_kib"] = int(m.group(2))
    elif "nmt_committed_kib" in out:
        out["nmt_other_kib"] = 0  # NMT omits categories below 1 KB
    used = committed = 0
    found = False
    for m in re.finditer(r"^ (\S.*?)\s+total (\d+)K, used (\d+)K", text, re.M):
        found = True
        committed += int(m.group(2))
        used += int(m.group(3))
        if m.group(1) in ("ParOldGen", "tenured generation"):
            out["old_used_kib"] = int(m.group(3))
    if found:
        out["heap_used_kib"], out["heap_committed_kib"] = used, committed
    if res.returncode != 0 or not out:
        out["jcmd_error"] = text.strip().splitlines()[-1][:200] if text.strip() else "exit %d" % res.returncode
    return out


def jcmd(pid, *command, timeout=120):
    """Runs one jcmd command; returns its output (text)."""
    res = subprocess.run(["jcmd", str(pid)] + list(command), text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=timeout)
    return res.stdout


class Admin:
    """The middlebox admin API on loopback, with the bearer token read from its file."""

    def __init__(self, port, token_file):
        self.base = "http://127.0.0.1:%d" % port
        self.token_file = token_file

    def _get(self, path, token=True, timeout=10):
        req = urllib.request.Request(self.base + path)
        if token:
            with open(self.token_file) as f:
                req.add_header("Authorization", "Bearer " + f.readline().strip())
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()

    def health(self):
        """The HTTP status of GET /health (no token), or None when nothing answers."""
        try:
            return self._get("/health", token=False, timeout=2)[0]
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            return None

    def stats(self):
        """GET /stats as a dict, or None when it fails."""
        try:
            return json.loads(self._get("/stats")[1])
        except (OSError, ValueError):
            return None


def direct_memory(stats, jvm):
    """(bytes, source) of the middlebox's direct memory: /stats process.directMemory, else NMT Other."""
    proc = (stats or {}).get("process") or {}
    if isinstance(proc.get("directMemory"), (int, float)):
        return proc["directMemory"], "stats.process.directMemory"
    if "nmt_other_kib" in jvm:
        return jvm["nmt_other_kib"] * 1024, "nmt.Other"
    return None, None


def redis_cli(port, *args, timeout=30):
    res = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port)] + list(args), text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return res.stdout.strip()


def redis_info(port, section):
    """INFO <section> as a dict of strings ({} when Redis does not answer)."""
    out = {}
    try:
        text = redis_cli(port, "INFO", section, timeout=10)
    except subprocess.TimeoutExpired:
        return out
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            k, v = line.split(":", 1)
            out[k] = v.strip()
    return out
