package io.ncp.middlebox.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ncp-middlebox demo}: placeholder until the demo lands. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Replicate to loopback servers and compare.")
public final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return 0;
    }
}
