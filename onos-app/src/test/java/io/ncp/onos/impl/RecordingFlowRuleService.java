package io.ncp.onos.impl;

import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.flow.FlowEntry;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.FlowRuleServiceAdapter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * FlowRuleService double: records every apply/remove call and keeps the resulting rule set (as a switch would);
 * {@link #entries} are served by getFlowEntries for GUI tests. Thread-safe enough for one writer thread.
 */
public class RecordingFlowRuleService extends FlowRuleServiceAdapter {

    public final List<FlowRule> applied = new CopyOnWriteArrayList<>();
    public final List<FlowRule> removed = new CopyOnWriteArrayList<>();
    public final List<ApplicationId> removedByAppId = new CopyOnWriteArrayList<>();
    public final List<String> callerThreads = new CopyOnWriteArrayList<>();
    public final Map<DeviceId, List<FlowEntry>> entries = new HashMap<>();
    private final Set<FlowRuleKey> installed = new LinkedHashSet<>();

    @Override
    public synchronized void applyFlowRules(FlowRule... rules) {
        callerThreads.add(Thread.currentThread().getName());
        applied.addAll(Arrays.asList(rules));
        Arrays.stream(rules).map(FlowRuleKey::of).forEach(installed::add);
    }

    @Override
    public synchronized void removeFlowRules(FlowRule... rules) {
        callerThreads.add(Thread.currentThread().getName());
        removed.addAll(Arrays.asList(rules));
        Arrays.stream(rules).map(FlowRuleKey::of).forEach(installed::remove);
    }

    @Override
    public synchronized void removeFlowRulesById(ApplicationId id) {
        removedByAppId.add(id);
        installed.removeIf(k -> k.appId == id.id());
    }

    @Override
    public Iterable<FlowEntry> getFlowEntries(DeviceId deviceId) {
        return entries.getOrDefault(deviceId, List.of());
    }

    /** The rules a switch would now hold (applied minus removed), as comparable keys. */
    public synchronized Set<FlowRuleKey> installed() {
        return new LinkedHashSet<>(installed);
    }

    /** Forgets the recorded calls (not the installed set). */
    public void clearCalls() {
        applied.clear();
        removed.clear();
    }

    /** Keys of the recorded apply calls. */
    public List<FlowRuleKey> appliedKeys() {
        List<FlowRuleKey> keys = new ArrayList<>();
        applied.forEach(r -> keys.add(FlowRuleKey.of(r)));
        return keys;
    }

    /** Keys of the recorded remove calls. */
    public List<FlowRuleKey> removedKeys() {
        List<FlowRuleKey> keys = new ArrayList<>();
        removed.forEach(r -> keys.add(FlowRuleKey.of(r)));
        return keys;
    }
}
