/**
 * Test kit shared by every NCP module's tests (shipped as {@code ncp-replay}'s test-jar).
 *
 * <p>Starts <em>real</em> servers on loopback (Redis, PostgreSQL, ...) on free ports, each owned by the
 * test that started it and stopped by PID in {@code close()}; finds their binaries and names the Debian
 * package when one is missing; and fails a test class when Netty reports a leaked buffer
 * ({@link io.ncp.testkit.NettyLeakExtension}). Additions welcome; keep it dependency-light.
 */
package io.ncp.testkit;
