"""Processes started by the testbed: spawned in a node, recorded by PID, stopped by PID (never by name).

A ``Node`` is a place to run commands: a named namespace (``ip netns exec``), a Mininet host
(``mnexec -a PID``) or the root namespace. Each long-running process is appended to ``names.PID_FILE``
as ``pid<TAB>start-time<TAB>label``; the start time (field 22 of /proc/PID/stat) makes sure a recycled
PID is never mistaken for ours by the cleanup.
"""

import os
import signal
import subprocess
import time

from . import names


def _start_time(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    # comm may contain spaces and parentheses: fields after the last ')' are well defined
    return stat.rsplit(")", 1)[1].split()[19]


def record(pid, label):
    names.ensure_state_dir()
    start = _start_time(pid)
    if start is None:
        return
    with open(names.PID_FILE, "a") as f:
        f.write("%d\t%s\t%s\n" % (pid, start, label))


def alive_and_ours(pid, start):
    return _start_time(pid) == start


class Proc:
    """A background process; ``stop()`` ends it by PID (SIGTERM, then SIGKILL after ``timeout``)."""

    def __init__(self, argv, label, log=None, env=None):
        self.label = label
        self.argv = list(argv)
        self.log_path = log
        out = open(log, "ab") if log else subprocess.DEVNULL
        # `ip netns exec` and `mnexec -a` exec the command in place: the PID is the command's own PID
        self.popen = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        if log:
            out.close()
        self.pid = self.popen.pid
        record(self.pid, label)

    def running(self):
        return self.popen.poll() is None

    def wait(self, timeout):
        """Waits for the process to exit by itself; returns its exit code or None on timeout."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout=5.0, sig=signal.SIGTERM):
        if self.popen.poll() is not None:
            return self.popen.returncode
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            return self.popen.wait(timeout)

    def log_tail(self, n=20):
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, errors="replace") as f:
            return "".join(f.readlines()[-n:])

    def __repr__(self):
        return "Proc(%s pid=%d)" % (self.label, self.pid)


class Node:
    """Where commands run: ``prefix`` is prepended to every argv (empty for the root namespace)."""

    def __init__(self, name, prefix):
        self.name = name
        self.prefix = list(prefix)

    @classmethod
    def netns(cls, ns):
        return cls(ns, [] if ns is None else ["ip", "netns", "exec", ns])

    @classmethod
    def mininet(cls, host):
        return cls(host.name, ["mnexec", "-a", str(host.pid)])

    def argv(self, argv):
        return self.prefix + list(argv)

    def spawn(self, argv, log=None, env=None):
        return Proc(self.argv(argv), "%s:%s" % (self.name, os.path.basename(argv[0])), log=log, env=env)

    def run(self, argv, check=True, timeout=120):
        """Runs a command to completion (bounded by ``timeout`` s); returns the CompletedProcess (text)."""
        return subprocess.run(self.argv(argv), check=check, timeout=timeout, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def sh(self, cmd, check=True, timeout=60):
        """Runs a shell command line (built by the testbed, never user input); returns its stdout."""
        return self.run(["sh", "-c", cmd], check=check, timeout=timeout).stdout

    def wait_port(self, host, port, timeout=30.0, proc=None):
        """Waits until host:port accepts TCP connections from this node; raises on timeout or when
        ``proc`` (the server being waited for) exits first."""
        deadline = time.time() + timeout
        probe = ("import socket,sys\ns=socket.socket()\ns.settimeout(0.5)\n"
                 "sys.exit(s.connect_ex((%r,%d)))" % (host, port))
        while time.time() < deadline:
            if proc is not None and not proc.running():
                raise RuntimeError("%s exited (code %s) before listening on %s:%d\n%s"
                                   % (proc.label, proc.popen.returncode, host, port, proc.log_tail()))
            if self.run(["/usr/bin/python3", "-c", probe], check=False, timeout=10).returncode == 0:
                return
            time.sleep(0.2)
        raise TimeoutError("nothing listening on %s:%d (seen from %s) after %.0fs" % (host, port, self.name, timeout))

    def wait_listen(self, port, timeout=30.0, proc=None):
        """Waits until a socket of this node listens on TCP ``port`` (seen with ss, no connection made:
        a probe connection would consume a one-off server or open a session through a proxy)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc is not None and not proc.running():
                raise RuntimeError("%s exited (code %s) before listening on port %d\n%s"
                                   % (proc.label, proc.popen.returncode, port, proc.log_tail()))
            out = self.run(["ss", "-Hltn", "sport = :%d" % port], check=False, timeout=10).stdout
            if out.strip():
                return
            time.sleep(0.1)
        raise TimeoutError("nothing listens on port %d in %s after %.0fs" % (port, self.name, timeout))

    def __repr__(self):
        return "Node(%s)" % self.name


ROOT = Node.netns(None)


def terminate(pids, grace=3):
    """Stops ``pids`` (processes we started): SIGTERM, up to ``grace`` seconds for them to exit, then SIGKILL."""
    pids = list(pids)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.time() + grace
        while pids and time.time() < deadline:
            pids = [p for p in pids if os.path.exists("/proc/%d" % p)]
            time.sleep(0.05)
        if not pids:
            return


def run(argv, ns=None, check=True, timeout=120):
    return Node.netns(ns).run(argv, check=check, timeout=timeout)
