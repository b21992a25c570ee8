package io.ncp.onos.planner;

import java.util.Locale;

/** What a planned rule does, and its named priority (higher wins; above ONOS fwd's reactive rules). */
public enum RuleRole {
    /** At the RedirectionSwitch: client→primary packets turn toward the middlebox (rewritten in tunnel mode). */
    REDIRECT(Priorities.REDIRECT),
    /** Non-tunnel mode, switches after the RedirectionSwitch: carry client→primary packets on to the middlebox. */
    TO_MIDDLEBOX(Priorities.SPECIAL_ROUTE),
    /** The middlebox's answers, carried back to the RedirectionSwitch (and out of it in non-tunnel mode). */
    RETURN(Priorities.SPECIAL_ROUTE),
    /** Tunnel mode, at the RedirectionSwitch: answers get the primary's address back and go toward the client. */
    RETURN_REWRITE(Priorities.REDIRECT);

    private final int priority;

    RuleRole(int priority) {
        this.priority = priority;
    }

    /** The flow priority of rules with this role. */
    public int priority() {
        return priority;
    }

    /** Lower-case, dash-separated name used in JSON output ({@code return-rewrite}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The role with this {@link #label()}. */
    public static RuleRole fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** NCP's named flow priorities. */
    public static final class Priorities {
        /** Redirect and return-rewrite rules at the RedirectionSwitch. */
        public static final int REDIRECT = 40100;
        /** Special routing rules toward and back from the middlebox. */
        public static final int SPECIAL_ROUTE = 40090;
        /** ncp-plan {@code --base-routes} destination forwarding (testbed only). */
        public static final int BASE_ROUTE = 100;

        private Priorities() {
        }
    }
}
