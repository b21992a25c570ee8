package io.ncp.replay.journal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Arrays;
import java.util.List;

/**
 * A journal file damaged the ways a crash or a bad disk damages one: cut at some length (a torn write) and/or one
 * run of 1-4 bytes overwritten. CRC32C detects every such run inside a record, so which records are intact is
 * known exactly: {@code changedFrom .. changedTo} are the bytes that really differ (-1 when none).
 */
record JournalDamage(byte[] bytes, int cut, int changedFrom, int changedTo) {

    /** Damages a copy of {@code intact} as {@code data} says. */
    static JournalDamage apply(byte[] intact, FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 3);
        int cut = (mode & 1) != 0 ? data.consumeInt(0, intact.length) : intact.length;
        byte[] b = Arrays.copyOf(intact, cut);
        int from = -1;
        int to = -1;
        if ((mode & 2) != 0 && cut > 0) {
            int start = data.consumeInt(0, cut - 1);
            byte[] run = data.consumeBytes(data.consumeInt(1, 4));
            for (int k = 0; k < run.length && start + k < cut; k++) {
                if (b[start + k] != run[k]) {
                    b[start + k] = run[k];
                    from = from < 0 ? start + k : from;
                    to = start + k;
                }
            }
        }
        return new JournalDamage(b, cut, from, to);
    }

    /**
     * The file header is cut or changed where it counts: the file is no journal at all. Its last 4 bytes are padding
     * outside the header's CRC (reserved, written as zeros, never read): changing them damages nothing.
     */
    boolean headerDamaged() {
        return cut < JournalFormat.FILE_HEADER || (changedFrom >= 0 && changedFrom < JournalFormat.FILE_HEADER - 4);
    }

    /** Index of the first record cut short or changed; {@code written.size()} when none is. */
    int firstDamaged(List<JournalRecord> written) {
        for (int i = 0; i < written.size(); i++) {
            if (!intact(written.get(i))) {
                return i;
            }
        }
        return written.size();
    }

    /** Whether some record after {@code index} is whole and unchanged. */
    boolean wholeRecordAfter(List<JournalRecord> written, int index) {
        for (int j = index + 1; j < written.size(); j++) {
            if (intact(written.get(j))) {
                return true;
            }
        }
        return false;
    }

    private boolean intact(JournalRecord r) {
        long start = r.position();
        long end = start + JournalFormat.FRAME + r.payload().length;
        boolean changed = changedFrom >= 0 && changedFrom < end && changedTo >= start;
        return end <= cut && !changed;
    }
}
