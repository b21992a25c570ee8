package io.ncp.middlebox.config;

/**
 * A mirror-mode configuration: the middlebox settings (its services are mirrored: no listen address) plus the capture.
 *
 * @param middlebox shards, ring, admin, stats line and the mirrored services
 * @param mirror    the capture input and its settings
 */
public record MirrorSetup(MiddleboxConfig middlebox, MirrorConfig mirror) {
}
