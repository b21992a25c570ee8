package io.ncp.middlebox.netns;

import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Three network namespaces made for one test class and removed by {@link #close()} (by the names it made; deleting
 * a namespace removes its veths, addresses, routes, policy rules and nft tables): a client C, the middlebox host M
 * and a server host S, wired C -- M -- S by two veth pairs. M owns {@link #M_CLIENT_SIDE} and {@link #M_SERVER_SIDE}
 * and is the default gateway of both others, so the servers' answers to the client's address come back through M
 * (the in-path deployment that {@code spoofClient} needs). M does not forward (ip_forward stays 0): whatever crosses
 * it is taken in by its TPROXY rules or not at all. Addresses are documentation ranges (RFC 5737), inside the
 * namespaces only. Needs root.
 */
final class NetnsLab implements AutoCloseable {

    static final String CLIENT = "192.0.2.2";
    static final String M_CLIENT_SIDE = "192.0.2.1";
    static final String M_SERVER_SIDE = "198.51.100.1";
    static final String SERVER = "198.51.100.2";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();

    private NetnsLab(String prefix) {
        this.prefix = prefix;
    }

    /** Whether this JVM runs as root (namespaces, nft and IP_TRANSPARENT need it). */
    static boolean root() {
        return "0".equals(ManagedProcess.run(List.of("id", "-u"), COMMAND_TIMEOUT).trim());
    }

    /** Creates and wires the namespaces; on a failure removes what it made and rethrows. */
    static NetnsLab create() {
        Binaries.require("ip", "iproute2");
        NetnsLab lab = new NetnsLab(String.format("ncptp%04x", ThreadLocalRandom.current().nextInt(0x10000)));
        try {
            lab.wire();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void wire() {
        for (String role : List.of("c", "m", "s")) {
            String ns = prefix + "-" + role;
            ip("netns", "add", ns);
            namespaces.add(ns);
            ip("-n", ns, "link", "set", "lo", "up");
        }
        link("c", CLIENT, "m", M_CLIENT_SIDE, "192.0.2");
        link("s", SERVER, "m", M_SERVER_SIDE, "198.51.100");
        ip("-n", ns("c"), "route", "add", "default", "via", M_CLIENT_SIDE);
        ip("-n", ns("s"), "route", "add", "default", "via", M_SERVER_SIDE);
    }

    /** A veth pair between namespaces {@code a} and {@code b} ({@code /24} of {@code net}), both ends up. */
    private void link(String a, String aIp, String b, String bIp, String net) {
        String aIf = "to" + b;
        String bIf = "to" + a;
        ip("link", "add", aIf, "netns", ns(a), "type", "veth", "peer", "name", bIf, "netns", ns(b));
        ip("-n", ns(a), "addr", "add", aIp + "/24", "dev", aIf);
        ip("-n", ns(b), "addr", "add", bIp + "/24", "dev", bIf);
        ip("-n", ns(a), "link", "set", aIf, "up");
        ip("-n", ns(b), "link", "set", bIf, "up");
    }

    /** The full name of namespace {@code role} (c, m or s). */
    String ns(String role) {
        return prefix + "-" + role;
    }

    /** Runs {@code command} inside namespace {@code role} to completion; its output (exit 0 required). */
    String exec(String role, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(role)));
        cmd.addAll(List.of(command));
        return ManagedProcess.run(cmd, COMMAND_TIMEOUT);
    }

    /** Runs a shell script inside namespace {@code role}. */
    String sh(String role, String script) {
        return exec(role, "sh", "-ec", script);
    }

    /** Starts a long-running {@code command} inside namespace {@code role}, output to {@code log}. */
    ManagedProcess start(String role, String name, Path log, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(role)));
        cmd.addAll(command);
        return ManagedProcess.start(name, cmd, log);
    }

    /** A command line starting a JVM of this test's Java with this test's class path, then {@code args}. */
    static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        ManagedProcess.run(cmd, COMMAND_TIMEOUT);
    }

    /** Deletes every namespace this lab made (processes started in them must be stopped first). */
    @Override
    public void close() {
        for (String ns : namespaces) {
            try {
                ip("netns", "del", ns);
            } catch (RuntimeException e) {
                System.err.println("NetnsLab: cannot delete " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
    }
}
