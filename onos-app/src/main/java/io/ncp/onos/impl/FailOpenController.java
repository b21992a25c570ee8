package io.ncp.onos.impl;

import io.ncp.onos.planner.HostPort;
import io.ncp.onos.planner.ReplicationSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller side of middlebox failover. A {@link MiddleboxHealthMonitor} probes the admin address of every
 * spec; when a middlebox is gone, each of its specs fails open (its redirect rules are removed, clients reach the
 * primary directly; counted and logged once per transition). When the middlebox answers again its specs are
 * re-pushed, and each spec's rules are reinstalled once the middlebox accepted its push (a restarted middlebox has no
 * services until then). Specs without an admin address are not watched and never fail open.
 *
 * <p>Threading: the monitor and the middlebox client only queue work on the planner thread ({@code plannerQueue});
 * {@link #holds} and {@link #forget} are called there by NcpManager; {@link #since}, {@link #events} from any thread.
 */
final class FailOpenController {

    private static final Logger LOG = LoggerFactory.getLogger(FailOpenController.class);

    private final Map<String, ReplicationSpec> specs;
    private final MiddleboxClient middlebox;
    private final Consumer<String> reconcile;
    private final Consumer<Runnable> plannerQueue;
    private final FailOpenState state;
    private final MiddleboxHealthMonitor monitor;

    /**
     * @param specs        the current specs (read only; thread-safe map)
     * @param middlebox    the admin client; its push listener is taken by this controller
     * @param reconcile    planner thread: makes a spec's rules match its spec and {@link #holds}
     * @param plannerQueue runs a task on the planner thread
     */
    FailOpenController(Map<String, ReplicationSpec> specs, MiddleboxClient middlebox, Consumer<String> reconcile,
                       Consumer<Runnable> plannerQueue, Clock clock) {
        this.specs = specs;
        this.middlebox = middlebox;
        this.reconcile = reconcile;
        this.plannerQueue = plannerQueue;
        this.state = new FailOpenState(clock);
        this.monitor = new MiddleboxHealthMonitor(this::watched, new MiddleboxHealthMonitor.Listener() {
            @Override
            public void gone(HostPort admin, String lastError) {
                plannerQueue.accept(() -> middleboxGone(admin, lastError));
            }

            @Override
            public void back(HostPort admin) {
                plannerQueue.accept(() -> middleboxBack(admin));
            }
        });
        middlebox.onPushed(name -> plannerQueue.accept(() -> pushed(name)));
    }

    /** Starts the health probes, or changes their period (also each probe's timeout) and miss count. */
    void start(Duration interval, int misses) {
        monitor.start(interval, interval, misses);
    }

    /** Stops the health probes (no state change follows). */
    void stop(Duration grace) {
        monitor.stop(grace);
    }

    /**
     * Planner thread: whether the spec's rules must stay removed; a spec whose middlebox is gone enters fail-open
     * here (e.g. one added or changed during the outage).
     */
    boolean holds(ReplicationSpec spec) {
        HostPort admin = spec.middlebox().admin();
        if (admin != null && monitor.isGone(admin) && state.enter(spec.name(), admin)) {
            LOG.warn("NCP: spec '{}' fails open: its middlebox {} is gone", spec.name(), admin);
        }
        return state.holds(spec.name(), admin);
    }

    /** Planner thread: the spec's rules now match {@link #holds} (installed, or it cannot be planned). */
    void settled(String name) {
        state.settled(name);
    }

    /** Planner thread: the spec was removed. */
    void forget(String name) {
        state.forget(name);
    }

    /** When the spec's current fail-open started, or null. */
    Instant since(String name) {
        return state.since(name);
    }

    /** How many times the spec entered fail-open. */
    int events(String name) {
        return state.events(name);
    }

    private Set<HostPort> watched() {
        return specs.values().stream().map(s -> s.middlebox().admin()).filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }

    private void middleboxGone(HostPort admin, String why) {
        List<String> names = specsOf(admin);
        names.removeIf(n -> !state.enter(n, admin));
        names.forEach(reconcile);
        if (!names.isEmpty()) {
            LOG.warn("NCP: fail-open for {}: middlebox {} is gone ({}); their redirect rules are removed, clients "
                    + "reach the primary directly", names, admin, why);
        }
    }

    private void middleboxBack(HostPort admin) {
        List<String> names = specsOf(admin);
        names.removeIf(n -> !state.middleboxBack(n, admin));
        if (!names.isEmpty()) {
            LOG.info("NCP: middlebox {} answers again: re-pushing {}; their rules return once it accepts each",
                    admin, names);
            // clients reached the primary directly meanwhile: the replicas missed those sessions
            names.forEach(n -> Optional.ofNullable(specs.get(n)).ifPresent(spec -> middlebox.push(spec,
                    "fail-open since " + state.since(n) + ": clients reached the primary directly")));
        }
    }

    private void pushed(String name) {
        Duration lasted = state.pushed(name);
        if (lasted != null) {
            reconcile.accept(name);
            LOG.info("NCP: spec '{}' leaves fail-open after {} s: the middlebox accepted it, rules reinstalled",
                    name, lasted.toMillis() / 1000.0);
        }
    }

    private List<String> specsOf(HostPort admin) {
        return specs.values().stream().filter(s -> admin.equals(s.middlebox().admin())).map(ReplicationSpec::name)
                .collect(Collectors.toCollection(ArrayList::new));
    }
}
