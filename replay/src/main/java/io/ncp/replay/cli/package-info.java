/**
 * The {@code ncp-replay} command line (picocli): {@code record}, {@code replay}, {@code inspect}.
 * Exit codes: 0 success, 1 runtime failure (e.g. the replay target refused connections), 2 bad arguments
 * or unreadable input (the message names the file, the byte offset and the problem).
 */
package io.ncp.replay.cli;
