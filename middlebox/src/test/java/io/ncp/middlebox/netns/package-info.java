/**
 * Integration tests inside network namespaces that the test makes and removes (root only; skipped with the reason
 * otherwise): transparent mode (TPROXY + IP_TRANSPARENT) between a client, the middlebox host and real servers.
 */
package io.ncp.middlebox.netns;
