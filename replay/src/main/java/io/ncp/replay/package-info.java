/**
 * NCP replay: protocol-agnostic session model (packet decoding, TCP reassembly, the session journal and
 * offline replay). No network I/O of its own beyond the replay client.
 */
package io.ncp.replay;
