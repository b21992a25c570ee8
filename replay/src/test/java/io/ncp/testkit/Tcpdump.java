package io.ncp.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real tcpdump writing a pcap file: on {@code lo} (or another interface) with a BPF filter and a 128 MiB
 * kernel buffer so a loopback test loses nothing. Not in immediate mode: libpcap then uses fixed-size
 * TPACKET_V2 frames (a 128 MiB ring holds only ~500 packets of 256 KiB snap length) and drops under load;
 * the default TPACKET_V3 ring hands over blocks when full or after tcpdump's 1 s timeout, so
 * {@link #close()} first waits until the file has stopped growing, then stops exactly this PID with
 * SIGTERM (tcpdump writes out what it holds and exits) and waits for it. Needs root.
 */
public final class Tcpdump implements AutoCloseable {

    private final ManagedProcess process;
    private final Path pcap;
    private final Path log;

    private Tcpdump(ManagedProcess process, Path pcap, Path log) {
        this.process = process;
        this.pcap = pcap;
        this.log = log;
    }

    /** Starts capturing and returns once tcpdump reports it is listening. */
    public static Tcpdump start(String iface, String filter, Path pcap) {
        Path bin = Binaries.require("tcpdump", "tcpdump");
        Path log = pcap.resolveSibling(pcap.getFileName() + ".tcpdump.log");
        ManagedProcess p = ManagedProcess.start("tcpdump", List.of(bin.toString(), "-i", iface, "-n",
            "-B", "131072", "-s", "262144", "-U", "-Z", "root", "-w", pcap.toString(), filter),
            log);
        Tcpdump t = new Tcpdump(p, pcap, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!t.logText().contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.close();
                throw new IllegalStateException("tcpdump did not start listening on " + iface + ":\n" + p.tail());
            }
            ManagedProcess.sleep(20);
        }
        return t;
    }

    public Path pcap() {
        return pcap;
    }

    public long pid() {
        return process.pid();
    }

    /** tcpdump's own report (after {@link #close()}: packets captured, dropped by kernel). */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Packets the kernel dropped, as tcpdump reported on exit; -1 when it did not report. */
    public long droppedByKernel() {
        for (String line : logText().split("\n")) {
            if (line.endsWith("packets dropped by kernel")) {
                return Long.parseLong(line.substring(0, line.indexOf(' ')).trim());
            }
        }
        return -1;
    }

    /** Waits for the file to stop growing (1.5 s, at most 20 s), then stops tcpdump (SIGTERM to its PID). */
    @Override
    public void close() {
        if (process.isAlive()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long size = -1;
            long stableSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                long now = pcap.toFile().length();
                if (now != size) {
                    size = now;
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince > Duration.ofMillis(1500).toNanos()) {
                    break;
                }
                ManagedProcess.sleep(100);
            }
        }
        process.close();
    }
}
