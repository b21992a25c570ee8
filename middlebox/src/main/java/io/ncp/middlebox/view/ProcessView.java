package io.ncp.middlebox.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.replica.MemoryGuard;
import io.ncp.middlebox.service.DescriptorBudget;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * The {@code process} object of {@code /stats}: descriptors (open, limit, the sessions' budget), direct memory
 * (Netty's counter, its maximum) and heap, so an operator (or the soak benchmark) sees resources run out before they
 * do.
 */
final class ProcessView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProcessView() {
    }

    static ObjectNode json(Middlebox m) {
        DescriptorBudget d = m.descriptors();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        ObjectNode o = JSON.createObjectNode();
        o.put("fds", DescriptorBudget.openDescriptors());
        o.put("fdLimit", d.limit() == Long.MAX_VALUE ? -1 : d.limit());
        o.put("sessionDescriptors", d.used());
        o.put("sessionDescriptorBudget", d.capacity() == Long.MAX_VALUE ? -1 : d.capacity());
        o.put("directMemory", MemoryGuard.used());
        o.put("directMemoryMax", PlatformDependent.maxDirectMemory());
        o.put("memoryGuardLimit", guardLimit());
        o.put("heapUsed", heap.getUsed());
        o.put("heapMax", heap.getMax());
        return o;
    }

    /** The memory guard's limit (as the middlebox computed it at start: the same system property and maximum). */
    static long guardLimit() {
        try {
            return MemoryGuard.fromSystemProperties().limit();
        } catch (RuntimeException badProperty) { // the middlebox would not have started; keep /metrics answering
            return -1;
        }
    }
}
