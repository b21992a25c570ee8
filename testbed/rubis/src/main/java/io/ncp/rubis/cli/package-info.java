/**
 * {@code ncp-rubis} command line: {@code load} (schema + deterministic data, straight into each database),
 * {@code run} (emulated clients against one address, e.g. the primary's, redirected through NCP),
 * {@code compare} (primary against replicas, table by table).
 */
package io.ncp.rubis.cli;
