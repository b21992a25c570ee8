package io.ncp.middlebox.cli;

import picocli.CommandLine.Option;

/** The options of every command that talks to a running middlebox's admin API (a picocli mixin). */
final class AdminOptions {

    @Option(names = "--admin", paramLabel = "URL", description = "the middlebox's admin API, default "
        + "http://127.0.0.1:9090")
    String admin;

    @Option(names = "--admin-token-file", paramLabel = "FILE", description = "its token, default ~/.ncp/admin-token")
    String tokenFile;

    /** A client for the admin API these options name. */
    AdminClient client() {
        return new AdminClient(admin, tokenFile);
    }
}
