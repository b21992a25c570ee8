/**
 * Counters. They are {@link java.util.concurrent.atomic.LongAdder}s updated by whichever event loop observes the
 * event (front loops for client/primary traffic, replica loops for replica traffic) and summed when read; the
 * {@code view} package renders them. A leaf package: it imports no other middlebox package.
 */
package io.ncp.middlebox.stats;
