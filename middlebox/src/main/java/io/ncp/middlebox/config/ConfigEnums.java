package io.ncp.middlebox.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the enum-valued settings (case-insensitive constant names), with one error message for all of them. */
final class ConfigEnums {

    private ConfigEnums() {
    }

    /**
     * The constant of {@code type} named {@code text}, ignoring case.
     *
     * @throws ConfigException naming {@code field} and listing the accepted values
     */
    static <E extends Enum<E>> E parse(Class<E> type, String field, String text) {
        E[] values = type.getEnumConstants();
        for (E v : values) {
            if (v.name().equalsIgnoreCase(text)) {
                return v;
            }
        }
        throw new ConfigException(field, "'" + text + "' is not one of " + Arrays.stream(values)
            .map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
