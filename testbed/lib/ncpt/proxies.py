"""What sits between the client and the primary: nothing (direct), HAProxy, the naive tee, or NCP.

Each system is started on the middlebox endpoint for one service and returns the (ip, port) the client
must target. ``replicas`` are (ip, port) pairs; ``bind`` is the local address replica connections leave
from (the dedicated replication NIC), or None.
"""

import json
import os
import shutil


ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TEE = os.path.join(ROOT, "testbed", "bench", "naive_tee.py")
NCP_JAR = os.environ.get("NCP_MIDDLEBOX_JAR", os.path.join(ROOT, "middlebox", "target", "ncp-middlebox.jar"))
# Netty allocator flags: 1 MiB read buffers stay in the event loop's cache, direct memory without zeroing/cleaners
# (docs/middlebox-benchmark.md); the same flags as the ./ncp launcher.
NETTY_OPTS = ("-Dio.netty.allocator.maxCachedBufferCapacity=2097152 -Dio.netty.tryReflectionSetAccessible=true "
              "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED")
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-XX:+UseParallelGC -Xms256m -Xmx2g " + NETTY_OPTS).split()
# TCP congestion control of NCP's own connections (--tcp-congestion): a relay running BBR pays its ProbeRTT on both
# legs, ~1 % of line rate at 1 Gbit/s (docs/middlebox-benchmark.md, "Congestion control"). NCPT_MB_CC= (empty) keeps
# the host's default. HAProxy and the naive tee keep the host's default (they have no such setting).
NCP_TCP_CONGESTION = os.environ.get("NCPT_MB_CC", "cubic")


def ncp_congestion_args():
    return ["--tcp-congestion", NCP_TCP_CONGESTION] if NCP_TCP_CONGESTION else []

HAPROXY_CONF = """\
global
    nbthread {threads}
    maxconn 8000
defaults
    mode tcp
    timeout connect 5s
    timeout client 120s
    timeout server 120s
frontend ncpt
    bind {listen}
    default_backend primary
backend primary
    server primary {primary}
"""


class Unavailable(Exception):
    """The system cannot run here (e.g. the middlebox is not built/merged yet): skip, don't fail."""


class Direct:
    name = "direct"

    def start(self, mb, listen, primary, replicas, bind, workdir):
        if replicas:
            raise Unavailable("direct has no replicas")
        return primary

    def stop(self):
        pass

    def stats(self):
        return None


class _Spawned:
    proc = None

    def _wait(self, mb, listen):
        mb.node.wait_listen(listen[1], timeout=60, proc=self.proc)
        return listen

    def stop(self):
        if self.proc is not None:
            self.proc.stop(timeout=10)
            self.proc = None

    def stats(self):
        return None


class HAProxy(_Spawned):
    def __init__(self, threads=1):
        self.threads = threads
        self.name = "haproxy-t%d" % threads

    def start(self, mb, listen, primary, replicas, bind, workdir):
        if replicas:
            raise Unavailable("haproxy does not replicate")
        conf = os.path.join(workdir, "haproxy-%d.cfg" % listen[1])
        with open(conf, "w") as f:
            f.write(HAPROXY_CONF.format(threads=self.threads, listen="%s:%d" % listen,
                                        primary="%s:%d" % primary))
        self.proc = mb.node.spawn(["haproxy", "-db", "-f", conf], log=conf + ".log")
        return self._wait(mb, listen)


class NaiveTee(_Spawned):
    name = "tee"

    def start(self, mb, listen, primary, replicas, bind, workdir):
        args = ["%s:%d" % listen, "%s:%d" % primary]
        args += ["%s:%d%s" % (ip, port, "@" + bind if bind else "") for ip, port in replicas]
        log = os.path.join(workdir, "tee-%d.log" % listen[1])
        self.proc = mb.node.spawn(["/usr/bin/python3", TEE] + args, log=log)
        return self._wait(mb, listen)


class Ncp(_Spawned):
    """The NCP middlebox (``ncp-middlebox run``, ARCHITECTURE contracts). ``extra`` are extra CLI flags
    (tuning); ``threads`` its shard count."""

    name = "ncp"

    def __init__(self, threads=2, extra=(), jar=NCP_JAR):
        self.threads = threads
        self.extra = list(extra)
        self.jar = jar
        self.admin = None
        self.token_file = None
        self.mb = None

    @staticmethod
    def available(jar=NCP_JAR):
        return os.path.exists(jar)

    def start(self, mb, listen, primary, replicas, bind, workdir):
        if not self.available(self.jar):
            raise Unavailable("middlebox jar %s not built (branch middlebox not merged yet?)" % self.jar)
        from .settings import ADMIN_PORT
        self.mb = mb
        self.admin = "127.0.0.1:%d" % (ADMIN_PORT + listen[1] % 100)
        self.token_file = os.path.join(workdir, "admin-token-%d" % listen[1])
        argv = ["java"] + JAVA_OPTS + ["-jar", self.jar, "run",
                                       "--listen", "%s:%d" % listen, "--primary", "%s:%d" % primary,
                                       "--threads", str(self.threads), "--admin", self.admin,
                                       "--admin-token-file", self.token_file]
        for ip, port in replicas:
            argv += ["--replica", "%s:%d%s" % (ip, port, "@" + bind if bind else "")]
        if "--journal-dir" not in self.extra:
            # a catch-up journal of this run only: what an earlier run left undelivered (a stop while a replica
            # was CATCHING_UP) would start these replicas STALE
            jdir = os.path.join(workdir, "journal-%d" % listen[1])
            shutil.rmtree(jdir, ignore_errors=True)
            argv += ["--journal-dir", jdir]
        argv += ncp_congestion_args() + self.extra
        log = os.path.join(workdir, "ncp-%d.log" % listen[1])
        self.proc = mb.node.spawn(argv, log=log)
        return self._wait(mb, listen)

    def stats(self):
        """GET /stats from the admin API (inside the middlebox's node); None when unreachable."""
        if self.proc is None or self.admin is None:
            return None
        token = ""
        if self.token_file and os.path.exists(self.token_file):
            with open(self.token_file) as f:
                token = f.readline().strip()
        code = ("import urllib.request,sys\n"
                "r=urllib.request.Request('http://%s/stats',headers={'Authorization':'Bearer %s'})\n"
                "sys.stdout.write(urllib.request.urlopen(r,timeout=5).read().decode())" % (self.admin, token))
        res = self.mb.node.run(["/usr/bin/python3", "-c", code], check=False, timeout=15)
        if res.returncode != 0:
            return None
        try:
            return json.loads(res.stdout)
        except ValueError:
            return {"raw": res.stdout}


class Mirror(Ncp):
    """NCP's off-path front-end (``ncp-middlebox mirror``, branch middlebox): captures the session's packets
    that a switch rule copies to ``interface`` and replays them to the replicas. The client talks to the
    primary directly, so start() returns the primary's address. ``source`` (client ip) narrows the BPF
    filter; set it before start()."""

    name = "ncp-mirror"

    def __init__(self, interface, extra=(), jar=NCP_JAR):
        super().__init__(1, extra, jar)
        self.interface = interface
        self.source = None

    @staticmethod
    def help_text(jar=NCP_JAR):
        import subprocess
        from . import middlebox
        if not os.path.exists(jar) or not middlebox.has_subcommand("mirror"):
            return None
        res = subprocess.run(["java", "-jar", jar, "mirror", "--help"], text=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=60)
        return res.stdout if res.returncode == 0 else None

    def start(self, mb, listen, primary, replicas, bind, workdir):
        import time
        help_text = self.help_text(self.jar)
        if help_text is None:
            raise Unavailable("ncp-middlebox has no 'mirror' subcommand yet (git log main..middlebox)")
        self.mb = mb
        bpf = "tcp and host %s and port %d" % (primary[0], primary[1])
        if self.source:
            bpf += " and host %s" % self.source
        argv = ["java"] + JAVA_OPTS + ["-jar", self.jar, "mirror", "--interface", self.interface,
                                       "--primary", "%s:%d" % primary, "--filter", bpf]
        for ip, port in replicas:
            argv += ["--replica", "%s:%d%s" % (ip, port, "@" + bind if bind else "")]
        if "--admin" in help_text:
            from .settings import ADMIN_PORT
            self.admin = "127.0.0.1:%d" % (ADMIN_PORT + listen[1] % 100)
            self.token_file = os.path.join(workdir, "admin-token-%d" % listen[1])
            argv += ["--admin", self.admin, "--admin-token-file", self.token_file]
        argv += ncp_congestion_args() + self.extra
        self.proc = mb.node.spawn(argv, log=os.path.join(workdir, "ncp-mirror-%d.log" % listen[1]))
        # no listening socket to wait for: wait for the admin API (if any), else until the capture is open
        deadline = time.time() + 30
        while time.time() < deadline:
            if not self.proc.running():
                raise RuntimeError("ncp-middlebox mirror exited: %s" % self.proc.log_tail())
            if self.admin and self.stats() is not None:
                break
            if not self.admin and time.time() > deadline - 25:
                break
            time.sleep(0.5)
        return primary


def make(system, ncp_threads=2, ncp_extra=()):
    """'direct' | 'haproxy' | 'haproxy-tN' | 'tee' | 'ncp' -> a fresh system object."""
    if system == "direct":
        return Direct()
    if system.startswith("haproxy"):
        return HAProxy(int(system.split("-t")[1]) if "-t" in system else 1)
    if system == "tee":
        return NaiveTee()
    if system == "ncp":
        return Ncp(ncp_threads, ncp_extra)
    raise ValueError("unknown system %r" % system)
