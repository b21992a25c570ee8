/**
 * The {@code ncp-middlebox} command line (picocli): {@code run} (flags or a YAML config) and {@code demo}. Bad
 * arguments or configs exit with code 2 and a message naming the field.
 */
package io.ncp.middlebox.cli;
