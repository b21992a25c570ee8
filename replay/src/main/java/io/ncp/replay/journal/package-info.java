/**
 * The session journal: a durable, append-only file of framed records (OPEN, DATA, GAP, CLOSE per session and
 * direction), each with a CRC32C and a capture timestamp.
 *
 * <p>File layout (big-endian): a 32-byte header ({@code "NCPJRNL\n"}, version, creation time, CRC32C), then
 * records of a 48-byte frame and a payload:
 * <pre>
 *   0 magic "NCPR"   4 crc32c (over bytes 8 .. end of payload)   8 payload length
 *  12 type  13 direction  14 flags (CLOSE: reason)  16 timestamp (ns since epoch)
 *  24 session id  32 offset (stream offset)  40 aux (GAP: length)  48 payload
 * </pre>
 * A record torn by a crash is detected on open by its length or CRC and the tail is truncated
 * ({@link io.ncp.replay.journal.JournalWriter}); a bad record followed by good ones is corruption, which is
 * reported and never truncated silently. {@link io.ncp.replay.journal.JournalReader} streams records.
 *
 * <p>Threading: a writer belongs to one thread (no locks); readers are independent of writers.
 *
 * <p>{@link io.ncp.replay.journal.DurableProperties}: small state files kept beside journals (a replica's
 * consistency, a failover record), replaced whole by rename after an fsync.
 */
package io.ncp.replay.journal;
