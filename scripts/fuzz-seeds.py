#!/usr/bin/env python3
"""Regenerates the committed seed corpora of the fuzz tests (docs/fuzzing.md) from a few tcpdump captures.

usage: scripts/fuzz-seeds.py [--capture]

--capture first records the five base captures again (root, tcpdump and socat needed): a short RESP exchange with
an echo server on loopback over IPv4/IPv6, Ethernet/Linux-cooked v1/v2, us/ns timestamps, a 80-byte snap length.
Without it the committed base captures are reused. Everything else is derived here: other link types, byte orders
and pcapng layouts (editcap, mergecap and hand-built blocks), decoder frames, journal tails (via ncp-replay
record), configs, service bodies and RESP streams, plus fixed pseudo-random blobs for the targets that read their
input through a FuzzedDataProvider. Seeds stay under 4 KiB: libFuzzer's default input size limit is the largest
seed's size or 4096 bytes.
"""
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPLAY = os.path.join(ROOT, "replay/src/test/resources/io/ncp/replay")
MIDDLEBOX = os.path.join(ROOT, "middlebox/src/test/resources/io/ncp/middlebox")
PCAP_DIR = os.path.join(REPLAY, "capture/CaptureFileFuzzTestInputs/pcap")
BASE = ["v4-eth-us.pcap", "v6-eth-ns.pcap", "v4-sll.pcap", "v4-sll2.pcap", "v4-snap80.pcap"]
RESP = (b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n")


def inputs(*parts):
    d = os.path.join(*parts)
    os.makedirs(d, exist_ok=True)
    return d


def write(path, data):
    if len(data) > 4096:
        sys.exit(f"seed {path} is {len(data)} bytes (keep seeds under 4 KiB)")
    with open(path, "wb") as f:
        f.write(data)


def capture():
    """Records the base captures: tcpdump on lo/any while socat echoes a RESP exchange (processes stopped by pid)."""
    specs = [("v4-eth-us.pcap", "lo", "127.0.0.1", 47001, []),
             ("v6-eth-ns.pcap", "lo", "::1", 47002, ["--time-stamp-precision=nano"]),
             ("v4-sll.pcap", "any", "127.0.0.1", 47003, ["-y", "LINUX_SLL"]),
             ("v4-sll2.pcap", "any", "127.0.0.1", 47004, ["-y", "LINUX_SLL2"]),
             ("v4-snap80.pcap", "lo", "127.0.0.1", 47005, ["-s", "80"])]
    import time
    for name, iface, addr, port, extra in specs:
        out = os.path.join(PCAP_DIR, name)
        td = subprocess.Popen(["tcpdump", "-i", iface, "-U", "-w", out] + extra + [f"tcp port {port}"],
                              stderr=subprocess.DEVNULL)
        time.sleep(1)
        v6 = ":" in addr
        listen = f"TCP6-LISTEN:{port},bind=[{addr}],reuseaddr" if v6 else f"TCP4-LISTEN:{port},bind={addr},reuseaddr"
        conn = f"TCP6:[{addr}]:{port}" if v6 else f"TCP4:{addr}:{port}"
        srv = subprocess.Popen(["socat", listen, "EXEC:cat"])
        time.sleep(0.5)
        subprocess.run(["socat", "-t", "0.5", "-", conn], input=RESP, stdout=subprocess.DEVNULL, timeout=10,
                       check=True)
        time.sleep(0.5)
        for p in (srv, td):
            p.terminate()
            p.wait(timeout=10)
        os.chmod(out, 0o644)


def read_pcap(path):
    """(link type, nanos, snaplen, [(sec, frac, orig, data)]) of a little-endian pcap."""
    with open(path, "rb") as f:
        b = f.read()
    magic, _, _, _, _, snaplen, link = struct.unpack_from("<IHHiIII", b, 0)
    nanos = magic == 0xA1B23C4D
    out, at = [], 24
    while at + 16 <= len(b):
        sec, frac, incl, orig = struct.unpack_from("<IIII", b, at)
        out.append((sec, frac, orig, b[at + 16:at + 16 + incl]))
        at += 16 + incl
    return link, nanos, snaplen, out


def pcap_bytes(link, packets, nanos=False, big=False, snaplen=262144):
    e = ">" if big else "<"
    out = struct.pack(e + "IHHiIII", 0xA1B23C4D if nanos else 0xA1B2C3D4, 2, 4, 0, 0, snaplen, link)
    for sec, frac, orig, data in packets:
        out += struct.pack(e + "IIII", sec, frac, len(data), max(orig, len(data))) + data
    return out


def relink(packets, strip, header):
    """The packets with their first {strip} bytes replaced by {header}."""
    return [(s, f, o - strip + len(header), header + d[strip:]) for s, f, o, d in packets]


def ng_block(btype, body, big=False):
    e = ">" if big else "<"
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


def pcapng_bytes(ifaces, blocks, big=False):
    """An SHB, one IDB per (link, tsresol or None), then the given blocks (already built)."""
    e = ">" if big else "<"
    out = ng_block(0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1), big)
    for link, tsresol in ifaces:
        opts = b""
        if tsresol is not None:
            opts = struct.pack(e + "HH", 9, 1) + bytes([tsresol]) + b"\0\0\0" + struct.pack(e + "HH", 0, 0)
        out += ng_block(1, struct.pack(e + "HHI", link, 0, 262144) + opts, big)
    return out + b"".join(blocks)


def epb(iface, ts, data, orig=None, big=False):
    e = ">" if big else "<"
    return ng_block(6, struct.pack(e + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(data),
                                   orig or len(data)) + data, big)


def spb(data, big=False):
    return ng_block(3, struct.pack((">" if big else "<") + "I", len(data)) + data, big)


def captures():
    pcaps = {name: read_pcap(os.path.join(PCAP_DIR, name)) for name in BASE}
    link, _, _, eth4 = pcaps["v4-eth-us.pcap"]
    _, _, _, eth6 = pcaps["v6-eth-ns.pcap"]
    derived = {
        "v4-eth-us-big-endian.pcap": pcap_bytes(1, eth4, big=True),
        "v4-raw.pcap": pcap_bytes(101, relink(eth4, 14, b"")),
        "v4-ipv4.pcap": pcap_bytes(228, relink(eth4, 14, b"")),
        "v6-ipv6-ns.pcap": pcap_bytes(229, relink(eth6, 14, b""), nanos=True),
        "v4-null-le.pcap": pcap_bytes(0, relink(eth4, 14, struct.pack("<I", 2))),
        "v6-loop.pcap": pcap_bytes(108, relink(eth6, 14, struct.pack(">I", 30)), nanos=True),
        "v4-vlan.pcap": pcap_bytes(1, [(s, f, o + 4, d[:12] + b"\x81\x00\x00\x05" + d[12:]) for s, f, o, d in eth4]),
    }
    for name, data in derived.items():
        write(os.path.join(PCAP_DIR, name), data)
    ng_dir = inputs(REPLAY, "capture/CaptureFileFuzzTestInputs/pcapng")
    for name in ["v4-eth-us.pcap", "v6-eth-ns.pcap", "v4-sll2.pcap", "v4-snap80.pcap"]:
        out = os.path.join(ng_dir, name.replace(".pcap", ".pcapng"))
        subprocess.run(["editcap", "-F", "pcapng", os.path.join(PCAP_DIR, name), out], check=True)
        os.chmod(out, 0o644)
    out = os.path.join(ng_dir, "two-interfaces.pcapng")
    subprocess.run(["mergecap", "-F", "pcapng", "-w", out, os.path.join(PCAP_DIR, "v4-eth-us.pcap"),
                    os.path.join(PCAP_DIR, "v4-sll.pcap")], check=True)
    os.chmod(out, 0o644)
    ts = lambda s, f, scale: s * scale + f
    write(os.path.join(ng_dir, "big-endian-ns.pcapng"), pcapng_bytes(
        [(1, 9)], [epb(0, ts(s, f * 1000, 10**9), d, o, big=True) for s, f, o, d in eth4[:6]], big=True))
    write(os.path.join(ng_dir, "simple-packets.pcapng"), pcapng_bytes([(1, None)], [spb(d) for _, _, _, d in eth4[:6]]))
    write(os.path.join(ng_dir, "two-sections-pow2-res.pcapng"),
          pcapng_bytes([(228, 0x80 | 20)], [epb(0, ts(s, f, 2**20), d[14:]) for s, f, _, d in eth4[:4]])
          + pcapng_bytes([(1, 6)], [epb(0, ts(s, f, 10**6), d) for s, f, _, d in eth4[4:8]], big=True))
    write(os.path.join(ng_dir, "old-packet-block.pcapng"), pcapng_bytes(
        [(1, None)], [ng_block(2, struct.pack("<HHIIII", 0, 0, s, f, len(d), len(d)) + d) for s, f, _, d in eth4[:5]]))
    return pcaps


def decoder_frames(pcaps):
    """Frames of each link type, prefixed with the target's two selector bytes (link type ordinal, lead)."""
    ordinal = {0: 0, 1: 1, 101: 2, 108: 3, 113: 4, 228: 5, 229: 6, 276: 7}
    d = inputs(REPLAY, "decode/PacketDecoderFuzzTestInputs/decode")
    n = 0
    for name in BASE + ["v4-raw.pcap", "v6-loop.pcap", "v4-null-le.pcap", "v4-vlan.pcap"]:
        link, _, _, packets = read_pcap(os.path.join(PCAP_DIR, name))
        for i in (0, 3, len(packets) - 2):  # a SYN, a data segment, a FIN
            write(os.path.join(d, f"{name[:-5]}-{i}"), bytes([ordinal[link], i % 5]) + packets[i][3])
            n += 1
    _, _, _, eth4 = pcaps["v4-eth-us.pcap"]
    ip = bytearray(eth4[3][3][14:])
    ip[6:8] = b"\x20\x00"  # more-fragments set
    write(os.path.join(d, "v4-fragment"), bytes([2, 0]) + bytes(ip))
    _, _, _, eth6 = pcaps["v6-eth-ns.pcap"]
    v6 = bytearray(eth6[3][3][14:])
    ext = b"\x06\x00" + b"\0" * 6  # hop-by-hop header, next: TCP
    v6[6] = 0
    v6[4:6] = struct.pack(">H", struct.unpack(">H", v6[4:6])[0] + 8)
    write(os.path.join(d, "v6-hop-by-hop"), bytes([6, 0]) + bytes(v6[:40]) + ext + bytes(v6[40:]))
    return n


def journals():
    """Record sequences of journals that ncp-replay record makes from the captures (the header is dropped)."""
    jar = os.path.join(ROOT, "replay/target/ncp-replay.jar")
    if not os.path.exists(jar):
        subprocess.run(["mvn", "-q", "-B", "-DskipTests", "-pl", "replay", "package"], cwd=ROOT, check=True)
    d = inputs(REPLAY, "journal/JournalFuzzTestInputs/rawTail")
    pipeline = inputs(REPLAY, "journal/RecordPipelineFuzzTestInputs/record")
    tmp = tempfile.mkdtemp(prefix="ncp-seeds")
    try:
        for name in BASE + ["v4-vlan.pcap", "v6-loop.pcap"]:
            shutil.copyfile(os.path.join(PCAP_DIR, name), os.path.join(pipeline, name))
            j = os.path.join(tmp, name + ".journal")
            subprocess.run(["java", "-jar", jar, "record", "--pcap", os.path.join(PCAP_DIR, name), "--out", j],
                           check=True, stdout=subprocess.DEVNULL)
            with open(j, "rb") as f:
                tail = f.read()[32:]
            write(os.path.join(d, name.replace(".pcap", ".records")), tail[:4096])
    finally:
        shutil.rmtree(tmp)


def blobs(path, sizes, seed):
    """Fixed pseudo-random inputs for FuzzedDataProvider targets (no structure to derive them from)."""
    d = inputs(path)
    rnd = random.Random(seed)
    for size in sizes:
        write(os.path.join(d, f"random-{size}"), bytes(rnd.getrandbits(8) for _ in range(size)))


def configs():
    d = inputs(MIDDLEBOX, "config/ConfigLoaderFuzzTestInputs/configFile")
    for name in ["middlebox.yaml", "middlebox-mirror.yaml"]:
        shutil.copyfile(os.path.join(ROOT, "configs", name), os.path.join(d, name))
    seeds = {
        "minimal.yaml": "services:\n  - name: s\n    listen: 127.0.0.1:0\n    primary: 127.0.0.1:6379\n",
        "every-field.json": '{"threads": 2, "ringSize": 1024, "ringBytes": "64MiB", "admin": "127.0.0.1:9090",'
        ' "statsInterval": "250ms", "replicaLoop": "separate", "connectTimeout": "2s", "tcpCongestion": "cubic",'
        ' "services": [{"name": "pg", "listen": "[::1]:5433", "primary": "127.0.0.1:5432", "mode": "lockstep",'
        ' "compare": "postgres", "replicaBacklog": "1GB", "sessionOrder": "none", "replicas":'
        ' ["127.0.0.1:5434@127.0.0.2", {"address": "127.0.0.1:5435", "bind": null}]}]}\n',
        "anchors.yaml": "base: &b\n  primary: 127.0.0.1:1\nservices:\n  - &s {name: a, listen: ':0', primary: "
        "'h:1', replicas: [&r 'h:2', *r]}\n  - *s\n",
        "mirror-flow.yaml": "mirror: {pcap: x.pcap, snaplen: 128, bufferSize: 1k, queuePackets: 8, idleTimeout: 1h,"
        " drainTimeout: 0}\nservices: [{name: m, primary: '*:80', replicas: ['10.0.0.9:80']}]\n",
        "nested.yaml": "services:\n" + "  " + "[" * 60 + "]" * 60 + "\n",
        "laughs.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "services: [*d]\n",
    }
    for name, text in seeds.items():
        write(os.path.join(d, name), text.encode())
    s = inputs(MIDDLEBOX, "config/ConfigLoaderFuzzTestInputs/serviceBody")
    bodies = {
        "full.json": '{"name": "svc", "listen": "127.0.0.1:0", "primary": "127.0.0.1:6379", "mode": "async",'
        ' "compare": "bytes", "replicaBacklog": "64MiB", "sessionOrder": "causal", "replicas":'
        ' [{"address": "127.0.0.1:6380", "bind": "127.0.0.1"}, "127.0.0.1:6381"]}',
        "no-name.json": '{"listen": "127.0.0.1:0", "primary": "[::1]:5432", "replicas": []}',
        "lockstep.json": '{"listen": ":7000", "primary": "localhost:7001", "mode": "LOCKSTEP", "compare": "none"}',
    }
    for name, text in bodies.items():
        write(os.path.join(s, name), text.encode())


def resp():
    d = inputs(MIDDLEBOX, "demo/RespDecoderFuzzTestInputs/respStream")
    seeds = {
        "set-get-ping": RESP,
        "pipeline": b"*1\r\n$4\r\nPING\r\n" * 3 + b"*2\r\n$6\r\nDIGEST\r\n$0\r\n\r\n",
        "binary-bulk": b"*3\r\n$3\r\nSET\r\n$3\r\n\x00\xff\n\r\n$4\r\n\r\n\r\n\r\n",
        "inline": b"SET a b\r\nGET   a\nQUIT\r\n",
        "empty-and-null-arrays": b"*0\r\n*-1\r\n\r\n*1\r\n$1\r\nx\r\n",
        "partial": b"*2\r\n$3\r\nGET\r\n$10\r\nabc",
    }
    for name, data in seeds.items():
        write(os.path.join(d, name), data)


def main():
    if "--capture" in sys.argv[1:]:
        capture()
    pcaps = captures()
    frames = decoder_frames(pcaps)
    journals()
    blobs(os.path.join(REPLAY, "reassembly/TcpReassemblerFuzzTestInputs/segments"), [64, 512, 2048, 4096], 1)
    blobs(os.path.join(REPLAY, "journal/JournalFuzzTestInputs/damagedJournal"), [64, 512, 2048], 2)
    blobs(os.path.join(MIDDLEBOX, "digest/PostgresKeyMaskFuzzTestInputs/answerStream"), [16, 128, 1024], 3)
    configs()
    resp()
    print(f"seeds written ({frames} decoder frames)")


if __name__ == "__main__":
    main()
