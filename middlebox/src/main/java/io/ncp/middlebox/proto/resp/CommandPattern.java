package io.ncp.middlebox.proto.resp;

import java.util.Locale;

/**
 * One command pattern of a policy list: one to three words matched case-insensitively against a request's first
 * arguments. For {@code CONFIG SET} the third word matches any parameter the request sets (arguments 2, 4, 6, ...);
 * for other commands it matches the third argument. Immutable.
 */
final class CommandPattern {

    private final String[] words;

    CommandPattern(String text) {
        this.words = text.trim().toUpperCase(Locale.ROOT).split("\\s+");
    }

    String name() {
        return words[0];
    }

    boolean matches(RespRequest r) {
        if (!words[0].equals(r.name())) {
            return false;
        }
        if (words.length > 1 && !words[1].equals(r.upper(1))) {
            return false;
        }
        if (words.length < 3) {
            return true;
        }
        if ("CONFIG".equals(words[0]) && "SET".equals(words[1])) {
            for (int i = 2; i < r.args().size(); i += 2) {
                if (words[2].equals(r.upper(i))) {
                    return true;
                }
            }
            return false;
        }
        return words[2].equals(r.upper(2));
    }

    @Override
    public String toString() {
        return String.join(" ", words);
    }
}
