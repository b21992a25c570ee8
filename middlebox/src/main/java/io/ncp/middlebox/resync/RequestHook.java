package io.ncp.middlebox.resync;

import io.ncp.middlebox.config.HookCommand;
import io.ncp.middlebox.config.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A hook the middlebox runs itself: it connects to the backend, sends the configured request and reads until the
 * answer has as many bytes as {@code expect} (or any byte when it is empty), which it must start with. No process is
 * started, so a snapshot request such as Redis {@code BGSAVE} costs one round trip. Blocks the calling (resync) thread,
 * bounded by the deadline.
 */
final class RequestHook {

    private RequestHook() {
    }

    /**
     * @return null on success, else why it failed (one line)
     */
    static String run(String name, HookCommand hook, HostPort backend, long deadlineNanos) {
        byte[] expect = hook.expect();
        int want = Math.max(1, expect.length);
        byte[] got = new byte[want];
        int n = 0;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(backend.host(), backend.port()), millisLeft(deadlineNanos));
            s.setTcpNoDelay(true);
            s.getOutputStream().write(hook.send());
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            while (n < want) {
                s.setSoTimeout(millisLeft(deadlineNanos));
                int r = in.read(got, n, want - n);
                if (r < 0) {
                    return name + " request to " + backend + ": the connection closed after " + n + " answer bytes";
                }
                n += r;
                if (expect.length > 0 && !Arrays.equals(got, 0, n, expect, 0, n)) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            return name + " request to " + backend + " timed out";
        } catch (IOException e) {
            return name + " request to " + backend + " failed: " + e.getMessage();
        }
        if (expect.length > 0 && !Arrays.equals(got, 0, n, expect, 0, expect.length)) {
            return name + " request to " + backend + ": answer '" + printable(got, n) + "' does not start with '"
                + printable(expect, expect.length) + "'";
        }
        return null;
    }

    private static int millisLeft(long deadlineNanos) throws SocketTimeoutException {
        long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException();
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    private static String printable(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }
}
