package io.ncp.onos.planner;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The planner's output for one spec: one {@link ClientPlan} per client host and all rules. Immutable. */
public final class ReplicationPlan {

    private final ReplicationSpec spec;
    private final List<ClientPlan> clients;
    private final List<PlannedRule> rules;

    /** A plan. */
    public ReplicationPlan(ReplicationSpec spec, List<ClientPlan> clients, List<PlannedRule> rules) {
        this.spec = spec;
        this.clients = List.copyOf(clients);
        this.rules = List.copyOf(rules);
    }

    /** The planned spec. */
    public ReplicationSpec spec() {
        return spec;
    }

    /** Per-client routes and RedirectionSwitch. */
    public List<ClientPlan> clients() {
        return clients;
    }

    /** All rules, client by client, each client's in path order. */
    public List<PlannedRule> rules() {
        return rules;
    }

    /** Rules on one switch. */
    public List<PlannedRule> rulesOn(String switchName) {
        return rules.stream().filter(r -> r.switchName().equals(switchName)).collect(Collectors.toList());
    }

    /** Switches that get at least one rule, in rule order. */
    public Set<String> switches() {
        Set<String> s = new LinkedHashSet<>();
        rules.forEach(r -> s.add(r.switchName()));
        return s;
    }

    @Override
    public String toString() {
        return spec.name() + ": " + clients + ", " + rules.size() + " rules";
    }
}
