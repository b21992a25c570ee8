/**
 * Middlebox settings: one immutable {@link io.ncp.middlebox.config.MiddleboxConfig} built either from a YAML/JSON
 * file ({@link io.ncp.middlebox.config.ConfigLoader}) or from CLI flags. Validation errors are
 * {@link io.ncp.middlebox.config.ConfigException}s that name the offending field and value (exit code 2).
 */
package io.ncp.middlebox.config;
