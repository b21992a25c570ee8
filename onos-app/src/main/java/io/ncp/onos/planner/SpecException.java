package io.ncp.onos.planner;

/**
 * A replication spec or topology file is invalid. {@link #field()} names the offending field as a path
 * ({@code selector.dstPort}, {@code replicas[1].address}, {@code links[3].srcPort}); the message starts with it.
 */
public class SpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /** A problem with {@code field}; {@code problem} says what is wrong and what was found. */
    public SpecException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The path of the offending field. */
    public String field() {
        return field;
    }
}
