package io.ncp.replay.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code ncp-replay} in-process and captures its output. */
final class Cli {

    /** Exit code and output of one run. */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
