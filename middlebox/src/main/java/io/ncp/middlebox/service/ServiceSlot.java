package io.ncp.middlebox.service;

import java.util.function.Supplier;

/**
 * The runtime a listener gives its new sessions: replaced in place when a service is replaced on the same address
 * (admin PUT), so the listener stays bound. Any thread.
 */
public final class ServiceSlot implements Supplier<ServiceRuntime> {

    private volatile ServiceRuntime current;

    public ServiceSlot(ServiceRuntime initial) {
        this.current = initial;
    }

    @Override
    public ServiceRuntime get() {
        return current;
    }

    void set(ServiceRuntime next) {
        current = next;
    }
}
