package io.ncp.middlebox.proto.resp;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline request into arguments as redis-server does ({@code sdssplitargs}): blanks separate, double
 * quotes allow escapes ({@code \n \r \t \b \a \\ \" \xHH}), single quotes allow {@code \'}; a closing quote must be
 * followed by a blank or the end.
 */
final class InlineArgs {

    private InlineArgs() {
    }

    /** The arguments of the first {@code len} bytes of {@code line}, or null for unbalanced quotes. */
    static List<String> split(byte[] line, int len) {
        List<String> out = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p < len && isSpace(line[p])) {
                p++;
            }
            if (p >= len) {
                return out;
            }
            StringBuilder cur = new StringBuilder();
            boolean inDq = false;
            boolean inSq = false;
            boolean done = false;
            while (!done) {
                if (inDq) {
                    if (p >= len) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 3 < len && line[p + 1] == 'x' && hex(line[p + 2]) >= 0
                            && hex(line[p + 3]) >= 0) {
                        cur.append((char) (hex(line[p + 2]) * 16 + hex(line[p + 3])));
                        p += 3;
                    } else if (c == '\\' && p + 1 < len) {
                        p++;
                        cur.append(escape(line[p]));
                    } else if (c == '"') {
                        if (p + 1 < len && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.append((char) (c & 0xff));
                    }
                } else if (inSq) {
                    if (p >= len) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 1 < len && line[p + 1] == '\'') {
                        p++;
                        cur.append('\'');
                    } else if (c == '\'') {
                        if (p + 1 < len && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.append((char) (c & 0xff));
                    }
                } else if (p >= len) {
                    done = true;
                } else {
                    byte c = line[p];
                    if (isSpace(c)) {
                        done = true;
                    } else if (c == '"') {
                        inDq = true;
                    } else if (c == '\'') {
                        inSq = true;
                    } else {
                        cur.append((char) (c & 0xff));
                    }
                }
                if (p < len) {
                    p++;
                }
            }
            out.add(cur.toString());
        }
    }

    private static char escape(byte c) {
        switch (c) {
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'b':
                return '\b';
            case 'a':
                return (char) 7;
            default:
                return (char) (c & 0xff);
        }
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
    }
}
