package io.ncp.replay.cli;

import io.ncp.replay.capture.SyntheticTraffic;
import io.ncp.replay.player.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Hidden benchmark helper: writes a synthetic capture (see {@link SyntheticTraffic}). */
@Command(name = "generate-pcap", hidden = true, mixinStandardHelpOptions = true,
    description = "Write a synthetic Ethernet/IPv4/TCP capture for benchmarks.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true)
    Path out;

    @Option(names = "--flows", defaultValue = "1000")
    int flows;

    @Option(names = "--bytes-per-flow", defaultValue = "1MiB")
    String bytesPerFlow;

    @Option(names = "--active", defaultValue = "100", description = "flows interleaved at a time")
    int active;

    @Option(names = "--mss", defaultValue = "1448")
    int mss;

    @Option(names = "--reorder", defaultValue = "0.01")
    double reorder;

    @Option(names = "--duplicate", defaultValue = "0.005")
    double duplicate;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Override
    public Integer call() throws IOException {
        long frames = new SyntheticTraffic(seed, mss, reorder, duplicate)
            .write(out, flows, Options.size(bytesPerFlow), active);
        System.out.println("wrote " + frames + " frames, " + Bytes.format(Files.size(out)) + " to " + out);
        return 0;
    }
}
