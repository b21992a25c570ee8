package io.ncp.middlebox.config;

/** A bad setting: the message names the field (e.g. {@code services[0].primary}) and the rejected value. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public ConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The dotted path of the offending field. */
    public String field() {
        return field;
    }
}
