"""iperf2 (``iperf``) as a bulk load whose bytes can be counted exactly at both ends.

iperf3's server stops reading when a test ends, so what is still in flight then (in a relay's buffers) never
reaches its application: its byte count cannot be compared with a replica's. iperf2's server reads every stream to
its end: the bytes the client wrote, the primary's ``iperf -s`` read and a complete replica's sink read are the same
number. The client sends only payload (no control connection), so the replica can be a plain counting sink
(``sink.py``: its ``bytes`` counter).
"""

import os
import time


class Server:
    """``iperf -s`` (CSV reports, one line per stream, written when the stream ends) on ip:port in ``node``."""

    def __init__(self, node, ip, port, workdir, label="primary"):
        self.log = os.path.join(workdir, "iperf2-%s-%d.csv" % (label, port))
        self.proc = node.spawn(["stdbuf", "-oL", "iperf", "-s", "-B", ip, "-p", str(port), "-y", "C"], log=self.log)
        node.wait_listen(port, proc=self.proc)

    def offset(self):
        """Where the next test's reports will start in the log."""
        return os.path.getsize(self.log)

    def streams_since(self, offset):
        with open(self.log) as f:
            f.seek(offset)
            return parse(f.read())

    def bytes_since(self, offset, streams, timeout=60.0):
        """Bytes read over the ``streams`` streams reported after ``offset`` (waits, bounded, until all ended)."""
        deadline = time.time() + timeout
        while True:
            got = self.streams_since(offset)
            if len(got) >= streams:
                return sum(b for _, b, _ in got)
            if time.time() > deadline:
                raise RuntimeError("the primary's iperf -s reported %d of %d streams after %.0f s" % (
                    len(got), streams, timeout))
            time.sleep(0.2)

    def stop(self):
        self.proc.stop()


def parse(text):
    """Per-stream (id, bytes, seconds) of iperf2 ``-y C`` lines (sum lines, id -1, left out)."""
    out = []
    for line in text.splitlines():
        f = line.strip().split(",")
        if len(f) < 9 or not f[5].lstrip("-").isdigit() or int(f[5]) < 0:
            continue
        start, end = (float(x) for x in f[6].split("-"))
        out.append((int(f[5]), int(f[7]), end - start))
    return out


def client(node, ip, port, parallel, duration, timeout_extra=60):
    """``iperf -c``: ``parallel`` streams for ``duration`` s. Returns client_bytes (written), seconds, bps."""
    argv = ["iperf", "-c", ip, "-p", str(port), "-P", str(parallel), "-t", str(duration), "-y", "C"]
    res = node.run(argv, check=False, timeout=duration + timeout_extra)
    streams = parse(res.stdout)
    if len(streams) != parallel:
        raise RuntimeError("iperf -c reported %d of %d streams (exit %d): %s %s" % (
            len(streams), parallel, res.returncode, res.stdout[-300:], res.stderr[-300:]))
    total = sum(b for _, b, _ in streams)
    secs = max(s for _, _, s in streams)
    return {"client_bytes": total, "seconds": secs, "bps": total * 8 / secs}
