package io.ncp.onos.impl;

import io.ncp.onos.planner.HostPort;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which specs are in fail-open (their middlebox stopped answering its health probes, so their redirect rules are
 * removed and clients reach the primary directly), since when, and how many times each spec entered it. A spec
 * leaves fail-open once its middlebox answers again AND has accepted the spec's re-push (a middlebox that restarted
 * has lost its services: redirecting before the push would refuse the sessions).
 *
 * <p>Threading: the mutators run on the NCP planner thread only; {@link #since} and {@link #events} may be read
 * from any thread.
 */
final class FailOpenState {

    private final Clock clock;
    private final Map<String, Entry> active = new ConcurrentHashMap<>();
    private final Map<String, Integer> events = new ConcurrentHashMap<>();

    FailOpenState(Clock clock) {
        this.clock = clock;
    }

    /**
     * Puts the spec in fail-open for its middlebox {@code admin} (counted when it was not in it); a spec already in
     * it that was waiting for its re-push waits for the middlebox to come back again.
     *
     * @return true when the spec entered fail-open now
     */
    boolean enter(String name, HostPort admin) {
        Entry e = active.get(name);
        if (e != null && e.admin.equals(admin)) {
            e.middleboxBack = false;
            e.leaving = false;
            return false;
        }
        active.put(name, new Entry(admin, clock.instant()));
        events.merge(name, 1, Integer::sum);
        return true;
    }

    /**
     * Whether the spec's rules must stay removed: false once it is {@link #pushed leaving}. An entry for another
     * middlebox than {@code admin} (the spec was changed to another one, or to none: {@code admin} null) is dropped.
     */
    boolean holds(String name, HostPort admin) {
        Entry e = active.get(name);
        if (e != null && !e.admin.equals(admin)) {
            active.remove(name);
            return false;
        }
        return e != null && !e.leaving;
    }

    /** The spec's rules were made to match {@link #holds}: a leaving spec is out of fail-open now. */
    void settled(String name) {
        Entry e = active.get(name);
        if (e != null && e.leaving) {
            active.remove(name);
        }
    }

    /**
     * The middlebox of the spec answers again: from now on, the next accepted push ends its fail-open.
     *
     * @return true when the spec is in fail-open for {@code admin} (it must be re-pushed)
     */
    boolean middleboxBack(String name, HostPort admin) {
        Entry e = active.get(name);
        if (e == null || !e.admin.equals(admin)) {
            return false;
        }
        e.middleboxBack = true;
        return true;
    }

    /**
     * The middlebox accepted a push of the spec: when its middlebox was back, the spec is leaving fail-open (its
     * rules may be installed; it is out once they are, {@link #settled}).
     *
     * @return how long the fail-open lasted, or null when the spec stays as it is
     */
    Duration pushed(String name) {
        Entry e = active.get(name);
        if (e == null || !e.middleboxBack) {
            return null;
        }
        e.leaving = true;
        return Duration.between(e.since, clock.instant());
    }

    /** The spec was removed. */
    void forget(String name) {
        active.remove(name);
        events.remove(name);
    }

    /** When the spec's current fail-open started, or null when it is not in fail-open. */
    Instant since(String name) {
        Entry e = active.get(name);
        return e == null ? null : e.since;
    }

    /** How many times the spec entered fail-open. */
    int events(String name) {
        return events.getOrDefault(name, 0);
    }

    /** One spec in fail-open; {@code middleboxBack} and {@code leaving} are planner-thread only. */
    private static final class Entry {
        final HostPort admin;
        final Instant since;
        boolean middleboxBack;
        boolean leaving;

        Entry(HostPort admin, Instant since) {
            this.admin = admin;
            this.since = since;
        }
    }
}
