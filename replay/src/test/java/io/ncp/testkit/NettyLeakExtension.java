package io.ncp.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(NettyLeakExtension.class)}: after the test class, forces Netty's leak detector to
 * run and fails the class if any ByteBuf was garbage-collected without being released.
 */
public final class NettyLeakExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        NettyLeakTracker.install();
        NettyLeakTracker.collectLeaks(); // leaks of earlier classes are theirs, reported there
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!NettyLeakTracker.isInstalled()) {
            throw new AssertionError("NettyLeakTracker was not installed before Netty loaded");
        }
        List<String> leaks = NettyLeakTracker.collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) in " + context.getDisplayName()
                + ":\n" + String.join("\n", leaks));
        }
    }
}
