package io.ncp.replay.player;

/**
 * How fast events are replayed: {@link #ORIGINAL} keeps the captured inter-event times, a speed factor
 * divides them, {@link #FAST} ignores them.
 *
 * @param speed capture seconds per replay second; 0 means as fast as possible
 */
public record Timing(double speed) {

    public static final Timing ORIGINAL = new Timing(1);
    public static final Timing FAST = new Timing(0);

    public Timing {
        if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a positive factor, got " + speed);
        }
    }

    public boolean fast() {
        return speed == 0;
    }

    /** Parses {@code 2x}, {@code 0.5x}, {@code 2}, {@code original}, {@code fast}. */
    public static Timing parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("original")) {
            return ORIGINAL;
        }
        if (t.equals("fast") || t.equals("max")) {
            return FAST;
        }
        try {
            double v = Double.parseDouble(t.endsWith("x") ? t.substring(0, t.length() - 1) : t);
            if (v > 0) {
                return new Timing(v);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("speed must look like 2x, 0.5x, original or fast: '" + text + "'");
    }

    @Override
    public String toString() {
        return fast() ? "fast" : speed == 1 ? "original" : speed + "x";
    }
}
