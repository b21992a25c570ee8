/**
 * Answer-stream digests: a {@link io.ncp.middlebox.digest.BlockDigester} turns a byte stream into CRC32C values per
 * fixed block plus a total length, an {@link io.ncp.middlebox.digest.AnswerFilter} masks protocol fields that
 * legitimately differ between servers (PostgreSQL's BackendKeyData), and a
 * {@link io.ncp.middlebox.digest.DigestComparator} finds the first divergent block of a replica's answers.
 * Single-threaded classes: each instance is owned by one event loop.
 */
package io.ncp.middlebox.digest;
