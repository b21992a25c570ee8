package io.ncp.replay.player;

import io.ncp.replay.capture.CaptureFiles;
import io.ncp.replay.capture.CaptureFormatException;
import io.ncp.replay.journal.JournalWriter;
import io.ncp.replay.reassembly.ReassemblyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a replay input, telling a journal from a pcap/pcapng capture by its first bytes. */
public final class Inputs {

    private Inputs() {
    }

    public static SessionEventSource open(Path input, ReassemblyConfig config, boolean keepServerBytes)
            throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new NoSuchFileException(input.toString(), null, "no such input file");
        }
        if (JournalWriter.looksLikeJournal(input)) {
            return new JournalEventSource(input);
        }
        if (CaptureFiles.looksLikeCapture(input)) {
            return new CaptureEventSource(input, config, keepServerBytes);
        }
        throw new CaptureFormatException(input.toString(), 0, "neither an NCP journal nor a pcap/pcapng capture");
    }
}
