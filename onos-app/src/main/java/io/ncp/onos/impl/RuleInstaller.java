package io.ncp.onos.impl;

import io.ncp.onos.planner.PlannedRule;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.FlowRuleService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each spec's submitted FlowRules equal to its latest plan: {@link #install} diffs the new plan against what
 * was submitted (by planner rule, so a changed action is a change) and removes/applies only the difference.
 *
 * <p>Threading: {@link #install}, {@link #remove} and {@link #removeAll} run on the NCP planner thread only (the
 * owner of {@code submitted}); {@link #count} may be called from any thread.
 */
final class RuleInstaller {

    private final FlowRuleService flowRuleService;
    private final ApplicationId appId;
    private final Map<String, Map<PlannedRule, FlowRule>> submitted = new HashMap<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    RuleInstaller(FlowRuleService flowRuleService, ApplicationId appId) {
        this.flowRuleService = flowRuleService;
        this.appId = appId;
    }

    /** Makes the spec's submitted rules exactly {@code rules}. */
    void install(String spec, List<PlannedRule> rules) {
        Map<PlannedRule, FlowRule> old = submitted.getOrDefault(spec, Map.of());
        Map<PlannedRule, FlowRule> next = new LinkedHashMap<>();
        List<FlowRule> add = new ArrayList<>();
        for (PlannedRule r : rules) {
            FlowRule existing = old.get(r);
            FlowRule fr = existing != null ? existing : FlowRuleTranslator.toFlowRule(r, appId);
            if (next.putIfAbsent(r, fr) == null && existing == null) {
                add.add(fr);
            }
        }
        List<FlowRule> gone = new ArrayList<>();
        old.forEach((r, fr) -> {
            if (!next.containsKey(r)) {
                gone.add(fr);
            }
        });
        if (!gone.isEmpty()) {
            flowRuleService.removeFlowRules(gone.toArray(new FlowRule[0]));
        }
        if (!add.isEmpty()) {
            flowRuleService.applyFlowRules(add.toArray(new FlowRule[0]));
        }
        submitted.put(spec, next);
        counts.put(spec, next.size());
    }

    /** Removes every rule submitted for the spec. */
    void remove(String spec) {
        Map<PlannedRule, FlowRule> old = submitted.remove(spec);
        counts.remove(spec);
        if (old != null && !old.isEmpty()) {
            flowRuleService.removeFlowRules(old.values().toArray(new FlowRule[0]));
        }
    }

    /** Removes every rule of every spec. */
    void removeAll() {
        new ArrayList<>(submitted.keySet()).forEach(this::remove);
    }

    /** Rules currently submitted for the spec. */
    int count(String spec) {
        return counts.getOrDefault(spec, 0);
    }
}
