package io.ncp.replay.journal;

import io.ncp.replay.reassembly.Direction;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child-JVM main for {@link JournalCrashTest}: appends numbered DATA records of random sizes (up to 2 MiB,
 * bytes derived from the record number) forever through a 4 KiB buffer, so a large record takes many
 * writes; after each record is handed to the OS it prints {@code durable N}. The test kills it with SIGKILL.
 */
public final class CrashingJournalWriter {

    private CrashingJournalWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Random rnd = new Random(Long.parseLong(args[1]));
        try (JournalWriter w = JournalWriter.open(file, FsyncPolicy.NEVER, 4096)) {
            System.out.println("recovered " + w.recovery().records());
            long n = w.recovery().records();
            while (true) {
                byte[] payload = payload(n, 1 + rnd.nextInt(2 << 20));
                w.data(n, Direction.CLIENT_TO_SERVER, 0, payload, 0, payload.length, n);
                w.flush();
                System.out.println("durable " + n);
                System.out.flush();
                n++;
            }
        }
    }

    /** The payload of record {@code n}: its bytes are a function of n and the index. */
    static byte[] payload(long n, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (n * 31 + i * 7);
        }
        return b;
    }
}
