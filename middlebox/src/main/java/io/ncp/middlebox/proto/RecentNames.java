package io.ncp.middlebox.proto;

/**
 * The short names of the last {@link #SIZE} requests of a client stream, by request number: what a
 * {@link RequestNamer} keeps. Not thread-safe: owned with its namer.
 */
public final class RecentNames {

    /** Requests remembered. */
    public static final int SIZE = 4096;

    private final String[] names = new String[SIZE];
    private final long[] numbers = new long[SIZE];

    /** Request {@code number} is called {@code name} (told again: the later name wins). */
    public void put(long number, String name) {
        int i = (int) (number % SIZE);
        names[i] = name;
        numbers[i] = number;
    }

    /** The name of request {@code number}, or null when it is not known (never told, or too old). */
    public String name(long number) {
        if (number <= 0) {
            return null;
        }
        int i = (int) (number % SIZE);
        return numbers[i] == number ? names[i] : null;
    }
}
