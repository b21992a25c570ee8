/**
 * Replica comparison: {@link io.ncp.rubis.compare.TableComparator} reads one table from two databases as
 * multisets of rows, once on the stable columns (the state that must match) and once on every column but
 * timestamps (to report how many rows differ only by an auto-increment id), and
 * {@link io.ncp.rubis.compare.TableDiff} says what differs.
 */
package io.ncp.rubis.compare;
