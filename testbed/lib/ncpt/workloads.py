"""Load generators, each returning a flat dict of metrics: iperf3, wrk, httperf."""

import json
import os
import re
import subprocess

# Congestion control of the iperf3 client's data streams (iperf3 -C), or "" for the host's default. The default
# here is BBR, whose ProbeRTT (about every 10 s, 200 ms at 4 packets in flight) lands inside a 10 s point.
IPERF3_CLIENT_CC = os.environ.get("NCPT_CLIENT_CC", "")

WRK_LUA = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "NCPT {\\"requests\\":%d,\\"bytes\\":%d,\\"duration_us\\":%d,\\"errors\\":%d,"
    .. "\\"lat_mean_us\\":%.1f,\\"lat_p50_us\\":%d,\\"lat_p90_us\\":%d,\\"lat_p99_us\\":%d}\\n",
    summary.requests, summary.bytes, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
"""


def iperf3(node, ip, port, parallel, duration, omit=1, timeout_extra=30):
    """iperf3 client, ``parallel`` streams for ``duration`` s after ``omit`` s of warm-up.
    Returns bps (receiver side), bytes, retransmits, and the application bytes of the whole test, warm-up
    included: ``client_sent_app`` (written by the client) and ``primary_app`` (read by the server, from its own
    JSON via ``--get-server-output``; the server stops reading when the test ends, so bytes still in flight
    then are not in it)."""
    argv = ["iperf3", "-c", ip, "-p", str(port), "-P", str(parallel), "-t", str(duration),
            "-O", str(omit), "-J", "--get-server-output"] + (["-C", IPERF3_CLIENT_CC] if IPERF3_CLIENT_CC else [])
    try:
        res = node.run(argv, check=False, timeout=duration + omit + timeout_extra)
    except subprocess.TimeoutExpired:
        raise RuntimeError("iperf3 client still running %d s after the test's end (hung)" % timeout_extra)
    try:
        data = json.loads(res.stdout)
    except ValueError:
        raise RuntimeError("iperf3 gave no JSON (exit %d): %s" % (res.returncode, res.stderr[-500:]))
    if "error" in data:
        raise RuntimeError("iperf3: %s" % data["error"])
    end = data["end"]
    row = {"bps": float(end["sum_received"]["bits_per_second"]),
           "bytes": int(end["sum_received"]["bytes"]),
           "retransmits": int(end["sum_sent"].get("retransmits", 0)),
           "client_sent_app": _total(data, "sum_sent")}
    server = data.get("server_output_json")
    if isinstance(server, dict) and "end" in server:
        row["primary_app"] = _total(server, "sum_received")
    return row


def _total(data, key):
    """Payload bytes over the whole test, warm-up (-O) included: iperf3's end sum covers only the timed part
    (it resets its counters when the omitted seconds end); the omitted intervals hold the rest."""
    omitted = sum(int(i["sum"]["bytes"]) for i in data.get("intervals", []) if i["sum"].get("omitted"))
    return int(data["end"][key]["bytes"]) + omitted


def wrk(node, url, connections, duration, workdir, threads=1, timeout_extra=30):
    """wrk with keep-alive connections; returns req_per_s, bps, error count and latency percentiles (ms)."""
    script = os.path.join(workdir, "ncpt-wrk.lua")
    with open(script, "w") as f:
        f.write(WRK_LUA)
    argv = ["wrk", "-t", str(min(threads, connections)), "-c", str(connections), "-d", "%ds" % duration,
            "--timeout", "10s", "-s", script, url]
    res = node.run(argv, check=False, timeout=duration + timeout_extra)
    m = re.search(r"^NCPT (\{.*\})$", res.stdout, re.M)
    if not m:
        raise RuntimeError("wrk gave no summary (exit %d): %s %s" % (res.returncode, res.stdout[-300:],
                                                                    res.stderr[-300:]))
    d = json.loads(m.group(1))
    secs = d["duration_us"] / 1e6
    return {"req_per_s": d["requests"] / secs, "bps": d["bytes"] * 8 / secs, "errors": d["errors"],
            "lat_mean_ms": d["lat_mean_us"] / 1000, "lat_p50_ms": d["lat_p50_us"] / 1000,
            "lat_p90_ms": d["lat_p90_us"] / 1000, "lat_p99_ms": d["lat_p99_us"] / 1000}


def _num(pattern, text, group=1):
    m = re.search(pattern, text)
    return float(m.group(group)) if m else None


def httperf(node, ip, port, uri, conns, calls, rate, timeout=10, timeout_extra=60):
    """The paper's httperf workload: ``conns`` connections opened at ``rate``/s, ``calls`` requests each.
    Returns connection lifetime (avg/median ms), reply time, reply rate, errors."""
    # httperf busy-polls (100 % of a core whatever the rate): at nice 19 it yields to the servers, OVS and the
    # middlebox it measures, which share the machine's 2 cores (its rate of 20 conn/s needs little precision)
    argv = ["nice", "-n", "19", "httperf", "--hog", "--server", ip, "--port", str(port), "--uri", uri,
            "--num-conns", str(conns), "--num-calls", str(calls), "--rate", str(rate),
            "--timeout", str(timeout)]
    budget = conns / float(rate) + timeout + timeout_extra
    res = node.run(argv, check=False, timeout=budget)
    out = res.stdout
    conn_avg = _num(r"Connection time \[ms\]: min \S+ avg (\S+) max \S+ median (\S+)", out)
    if conn_avg is None:
        raise RuntimeError("httperf gave no summary (exit %d): %s %s" % (res.returncode, out[-300:],
                                                                        res.stderr[-300:]))
    return {"conn_ms": conn_avg,
            "conn_median_ms": _num(r"Connection time \[ms\]: min \S+ avg \S+ max \S+ median (\S+)", out),
            "reply_ms": _num(r"Reply time \[ms\]: response (\S+) transfer (\S+)", out),
            "reply_transfer_ms": _num(r"Reply time \[ms\]: response \S+ transfer (\S+)", out),
            "replies": _num(r"Reply status: 1xx=\d+ 2xx=(\d+)", out),
            "req_per_s": _num(r"Request rate: (\S+) req/s", out),
            "errors": _num(r"Errors: total (\d+)", out)}
