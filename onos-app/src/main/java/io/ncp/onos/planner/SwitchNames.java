package io.ncp.onos.planner;

import java.util.Comparator;

/**
 * The planner's deterministic order of switch names: runs of hex digits that contain a decimal digit compare as
 * numbers ({@code s2 < s10}, {@code of:0000000000000002 < of:000000000000000a}) and sort before any other
 * character; other characters compare by code; equal keys fall back to plain string order. A total order (names
 * are compared as symbol sequences), used for every tie-break so a plan never depends on map order.
 */
public final class SwitchNames {

    /** Natural order of switch names, numbers compared by value. */
    public static final Comparator<String> ORDER = SwitchNames::compare;

    private SwitchNames() {
    }

    private static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ei = numberEnd(a, i);
            int ej = numberEnd(b, j);
            if (ei > i && ej > j) {
                String na = strip(a.substring(i, ei));
                String nb = strip(b.substring(j, ej));
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else if (ei > i || ej > j) {
                return ei > i ? -1 : 1;
            } else {
                if (a.charAt(i) != b.charAt(j)) {
                    return Character.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    /** End of the number token starting at {@code from} (a hex run holding a decimal digit), or {@code from}. */
    private static int numberEnd(String s, int from) {
        int k = from;
        boolean digit = false;
        while (k < s.length() && Character.digit(s.charAt(k), 16) >= 0 && !Character.isUpperCase(s.charAt(k))) {
            digit |= Character.isDigit(s.charAt(k));
            k++;
        }
        return digit ? k : from;
    }

    private static String strip(String digits) {
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') {
            k++;
        }
        return digits.substring(k);
    }
}
