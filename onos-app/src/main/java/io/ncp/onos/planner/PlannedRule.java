package io.ncp.onos.planner;

import java.util.Objects;

/** One abstract flow rule of a plan: where it goes, why, its priority, match and actions. Immutable value. */
public final class PlannedRule {

    private final String switchName;
    private final RuleRole role;
    private final RuleMatch match;
    private final RuleActions actions;

    /** A rule with the priority of {@code role}. */
    public PlannedRule(String switchName, RuleRole role, RuleMatch match, RuleActions actions) {
        this.switchName = Objects.requireNonNull(switchName, "switchName");
        this.role = Objects.requireNonNull(role, "role");
        this.match = Objects.requireNonNull(match, "match");
        this.actions = Objects.requireNonNull(actions, "actions");
    }

    /** The switch the rule is installed on. */
    public String switchName() {
        return switchName;
    }

    /** What the rule is for. */
    public RuleRole role() {
        return role;
    }

    /** Flow priority (from the role). */
    public int priority() {
        return role.priority();
    }

    /** Match. */
    public RuleMatch match() {
        return match;
    }

    /** Actions. */
    public RuleActions actions() {
        return actions;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PlannedRule)) {
            return false;
        }
        PlannedRule r = (PlannedRule) o;
        return switchName.equals(r.switchName) && role == r.role && match.equals(r.match)
                && actions.equals(r.actions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(switchName, role, match, actions);
    }

    @Override
    public String toString() {
        return switchName + " " + role.label() + " " + priority() + " " + match + " => " + actions;
    }
}
