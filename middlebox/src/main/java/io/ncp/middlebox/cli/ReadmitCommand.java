package io.ncp.middlebox.cli;

import io.ncp.middlebox.config.HostPort;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ncp-middlebox readmit SERVICE REPLICA}: tells a running middlebox that a STALE replica was resynced. */
@Command(name = "readmit", mixinStandardHelpOptions = true,
    description = {
        "Mark a STALE replica IN_SYNC again, after you resynced it yourself (e.g. copied the primary's snapshot "
            + "into it while no client wrote). The middlebox then promotes it, counts it as in sync and lets it gate "
            + "lockstep answers again.",
        "Only do this when the replica holds exactly the primary's state: the middlebox cannot check it."})
public final class ReadmitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SERVICE", description = "the service's name")
    String service;

    @Parameters(index = "1", paramLabel = "REPLICA", description = "the replica's HOST:PORT as configured")
    String replica;

    @Option(names = "--reason", description = "why, for the log and the replica's history")
    String reason;

    @Mixin
    AdminOptions adminOptions = new AdminOptions();

    @Override
    public Integer call() {
        HostPort.parse("REPLICA", replica);
        String path = "services/" + encode(service) + "/replicas/" + encode(replica) + "/readmit";
        String body = reason == null ? "" : "{\"reason\":" + com.fasterxml.jackson.databind.node.TextNode
            .valueOf(reason) + "}";
        System.out.println(adminOptions.client().post(path, body).strip());
        return 0;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
