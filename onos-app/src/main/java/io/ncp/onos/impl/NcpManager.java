package io.ncp.onos.impl;

import io.ncp.onos.api.NcpService;
import io.ncp.onos.api.ReplicationStatus;
import io.ncp.onos.api.ReplicationStatus.PushState;
import io.ncp.onos.planner.NetworkGraph;
import io.ncp.onos.planner.PlanningException;
import io.ncp.onos.planner.RedirectionPlanner;
import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;
import io.ncp.onos.planner.SwitchNames;
import org.onosproject.cfg.ComponentConfigService;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.onosproject.net.config.NetworkConfigRegistry;
import org.onosproject.net.flow.FlowRuleService;
import org.onosproject.net.host.HostEvent;
import org.onosproject.net.host.HostListener;
import org.onosproject.net.host.HostService;
import org.onosproject.net.topology.TopologyListener;
import org.onosproject.net.topology.TopologyService;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ncp.onos.impl.OsgiPropertyConstants.ADMIN_TOKEN_FILE;
import static io.ncp.onos.impl.OsgiPropertyConstants.ADMIN_TOKEN_FILE_DEFAULT;
import static io.ncp.onos.impl.OsgiPropertyConstants.HEALTH_INTERVAL;
import static io.ncp.onos.impl.OsgiPropertyConstants.HEALTH_INTERVAL_DEFAULT;
import static io.ncp.onos.impl.OsgiPropertyConstants.HEALTH_MISSES;
import static io.ncp.onos.impl.OsgiPropertyConstants.HEALTH_MISSES_DEFAULT;
import static org.onlab.util.Tools.groupedThreads;

/**
 * The NCP controller component. Specs come from the CLI, REST, the GUI ({@link #addReplication}) and the network
 * config ({@link NetcfgSpecs}); for each one it plans the redirection on a snapshot of the topology and hosts
 * ({@link RedirectionPlanner}), installs the rules {@code fromApp(appId)} ({@link RuleInstaller}), replans all specs
 * on topology and host events, removes a spec's rules when it is removed and every rule on deactivation, and pushes
 * specs to the middlebox admin API ({@link MiddleboxClient}). While a middlebox does not answer its health probes,
 * its specs fail open ({@link FailOpenController}: rules removed, clients reach the primary directly). Component
 * configuration ({@link OsgiPropertyConstants}): the default admin token file, the health probe period and misses.
 *
 * <p>Threading: ONOS listeners, the health monitor and the middlebox client only queue work. One single-threaded
 * executor, the planner thread, owns the installed and fail-open state ({@link #installer}, {@link #installed},
 * {@link #failOpen}) and makes every FlowRule call, in submission order; {@link #specs} is the shared source of
 * truth, written under this object's lock together with the submission of the task that applies the change. State
 * lives in memory on this instance (no distributed store): specs added by CLI/REST/GUI are lost on restart, netcfg
 * ones are re-read.
 */
@Component(immediate = true, service = NcpService.class,
        property = {
            ADMIN_TOKEN_FILE + "=" + ADMIN_TOKEN_FILE_DEFAULT,
            HEALTH_INTERVAL + ":Integer=" + HEALTH_INTERVAL_DEFAULT,
            HEALTH_MISSES + ":Integer=" + HEALTH_MISSES_DEFAULT,
        })
public class NcpManager implements NcpService {

    private static final Logger LOG = LoggerFactory.getLogger(NcpManager.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected CoreService coreService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected FlowRuleService flowRuleService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected TopologyService topologyService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected HostService hostService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected NetworkConfigRegistry netcfgService;

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected ComponentConfigService cfgService;

    /** Admin token file (absolute path on the ONOS host) for specs without middlebox.adminTokenFile; empty = none. */
    private String adminTokenFile = ADMIN_TOKEN_FILE_DEFAULT;

    /** Period of the middleboxes' GET /health probes, and each probe's timeout, in milliseconds (at least 50). */
    private int healthInterval = HEALTH_INTERVAL_DEFAULT;

    /** Consecutive unanswered health probes after which a middlebox is gone and its specs fail open. */
    private int healthMisses = HEALTH_MISSES_DEFAULT;

    /** Test hooks: set before {@link #activate} to replace the planner thread / middlebox client / clock. */
    ExecutorService plannerThread;
    MiddleboxClient middlebox;
    Clock clock = Clock.systemUTC();

    private final RedirectionPlanner planner = new RedirectionPlanner();
    private final Map<String, ReplicationSpec> specs = new ConcurrentHashMap<>();
    /** Planner thread only (written), any thread (read): latest plan or planning error per spec. */
    private final Map<String, InstalledPlan> installed = new ConcurrentHashMap<>();
    private final AtomicBoolean replanQueued = new AtomicBoolean();
    private final TopologyListener topologyListener = event -> replanAll("topology " + event.type());
    private final HostListener hostListener = this::hostEvent;

    private ApplicationId appId;
    private RuleInstaller installer;
    private FailOpenController failOpen;
    private NetcfgSpecs netcfg;
    private volatile NcpSettings settings = NcpSettings.DEFAULTS;

    @Activate
    protected void activate(ComponentContext context) {
        appId = coreService.registerApplication(APP_NAME);
        cfgService.registerProperties(getClass());
        installer = new RuleInstaller(flowRuleService, appId);
        if (plannerThread == null) {
            plannerThread = Executors.newSingleThreadExecutor(groupedThreads("onos/ncp", "planner-%d", LOG));
        }
        if (middlebox == null) {
            middlebox = MiddleboxClient.withDefaults();
        }
        failOpen = new FailOpenController(specs, middlebox, this::reconcile, this::queue, clock);
        applySettings(context);
        netcfg = new NetcfgSpecs(netcfgService, appId, this::queue, this::store, this::removeReplication);
        netcfg.register();
        topologyService.addListener(topologyListener);
        hostService.addListener(hostListener);
        LOG.info("Started NCP ({})", appId.id());
    }

    @Modified
    protected void modified(ComponentContext context) {
        String oldTokenFile = settings.adminTokenFile();
        applySettings(context);
        if (!oldTokenFile.equals(settings.adminTokenFile())) {
            queue(this::repushUnaccepted);
        }
    }

    @Deactivate
    protected void deactivate() {
        cfgService.unregisterProperties(getClass(), false);
        failOpen.stop(STOP_GRACE);
        hostService.removeListener(hostListener);
        topologyService.removeListener(topologyListener);
        netcfg.unregister();
        List<ReplicationSpec> all;
        synchronized (this) {
            all = new ArrayList<>(specs.values());
            specs.clear();
        }
        try {
            plannerThread.submit(installer::removeAll).get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("NCP: removing rules on the planner thread failed ({}), removing by app id", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        plannerThread.shutdownNow();
        flowRuleService.removeFlowRulesById(appId);
        all.forEach(middlebox::delete);
        middlebox.close(STOP_GRACE);
        installed.clear();
        LOG.info("Stopped NCP");
    }

    @Override
    public ReplicationPlan addReplication(ReplicationSpec spec) {
        ReplicationPlan plan = plan(spec);
        store(spec);
        return plan;
    }

    @Override
    public boolean removeReplication(String name) {
        synchronized (this) {
            ReplicationSpec gone = specs.remove(name);
            if (gone == null) {
                return false;
            }
            plannerThread.execute(() -> reconcile(name));
            middlebox.delete(gone);
        }
        return true;
    }

    @Override
    public List<ReplicationSpec> getReplications() {
        List<ReplicationSpec> list = new ArrayList<>(specs.values());
        list.sort((a, b) -> SwitchNames.ORDER.compare(a.name(), b.name()));
        return list;
    }

    @Override
    public Optional<ReplicationSpec> getReplication(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    @Override
    public Optional<ReplicationStatus> getStatus(String name) {
        ReplicationSpec spec = specs.get(name);
        if (spec == null) {
            return Optional.empty();
        }
        InstalledPlan now = installed.get(name);
        boolean current = now != null && now.spec().equals(spec);
        Optional<MiddleboxClient.Status> push = middlebox.status(name);
        PushState state = spec.middlebox().admin() == null ? PushState.NOT_CONFIGURED
                : push.map(MiddleboxClient.Status::state).orElse(PushState.PENDING);
        return Optional.of(new ReplicationStatus(spec, current ? now.plan() : null,
                current ? now.error() : "not planned yet", installer.count(name), state,
                push.map(MiddleboxClient.Status::lastError).orElse(null),
                push.map(MiddleboxClient.Status::attempts).orElse(0), failOpen.since(name), failOpen.events(name)));
    }

    @Override
    public ReplicationPlan plan(ReplicationSpec spec) {
        checkNoOverlap(spec);
        return planner.plan(OnosGraphBuilder.snapshot(topologyService, hostService), spec);
    }

    /** Stores a spec (plannable now or not) and queues its installation and push. */
    private synchronized void store(ReplicationSpec spec) {
        checkNoOverlap(spec);
        ReplicationSpec previous = specs.put(spec.name(), spec);
        plannerThread.execute(() -> reconcile(spec.name()));
        if (!spec.equals(previous)) {
            middlebox.push(spec);
        }
    }

    /** Two specs must not select the same sessions (their rules would collide on the same switches). */
    private void checkNoOverlap(ReplicationSpec spec) {
        for (ReplicationSpec other : specs.values()) {
            if (!other.name().equals(spec.name()) && other.selector().overlaps(spec.selector())) {
                throw new SpecException("selector", "overlaps spec '" + other.name() + "' (" + other.selector()
                        + "): both would redirect the same sessions");
            }
        }
    }

    /** Planner thread: makes the installed rules of {@code name} match its current spec (or removes them). */
    private void reconcile(String name) {
        reconcile(name, null);
    }

    private void reconcile(String name, NetworkGraph snapshot) {
        ReplicationSpec spec = specs.get(name);
        if (spec == null) {
            installer.remove(name);
            installed.remove(name);
            failOpen.forget(name);
            return;
        }
        try {
            NetworkGraph graph = snapshot != null ? snapshot
                    : OnosGraphBuilder.snapshot(topologyService, hostService);
            ReplicationPlan plan = planner.plan(graph, spec);
            if (failOpen.holds(spec)) {
                installer.remove(name);
            } else {
                installer.install(name, plan.rules());
            }
            installed.put(name, new InstalledPlan(spec, plan, null));
        } catch (PlanningException | IllegalArgumentException e) {
            installer.remove(name);
            installed.put(name, new InstalledPlan(spec, null, e.getMessage()));
            LOG.warn("NCP: spec '{}' cannot be planned, its rules are removed: {}", name, e.getMessage());
        }
        failOpen.settled(name);
    }

    /** Planner thread: after the default token file changed, re-pushes what the middlebox has not accepted yet. */
    private void repushUnaccepted() {
        for (ReplicationSpec spec : specs.values()) {
            boolean usesDefault = spec.middlebox().admin() != null && spec.middlebox().adminTokenFile() == null;
            if (usesDefault && middlebox.status(spec.name()).map(st -> st.state() != PushState.PUSHED).orElse(true)) {
                middlebox.push(spec);
            }
        }
    }

    private void applySettings(ComponentContext context) {
        NcpSettings s = NcpSettings.read(context == null ? null : context.getProperties(), settings);
        settings = s;
        adminTokenFile = s.adminTokenFile();
        healthInterval = (int) s.healthInterval().toMillis();
        healthMisses = s.healthMisses();
        middlebox.setDefaultTokenFile(adminTokenFile);
        failOpen.start(s.healthInterval(), healthMisses);
        LOG.info("NCP settings: {}", s);
    }

    /** Runs {@code task} on the planner thread (dropped once it is shut down). */
    private void queue(Runnable task) {
        try {
            plannerThread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("NCP: planner thread stopped, task dropped");
        }
    }

    /** Queues one replan of every spec (coalesces bursts of events). Called on ONOS event threads. */
    private void replanAll(String why) {
        if (replanQueued.compareAndSet(false, true)) {
            plannerThread.execute(() -> {
                replanQueued.set(false);
                LOG.debug("NCP: replanning after {}", why);
                NetworkGraph graph = OnosGraphBuilder.snapshot(topologyService, hostService);
                Set<String> names = new HashSet<>(specs.keySet());
                names.addAll(installed.keySet());
                names.forEach(n -> reconcile(n, graph));
            });
        }
    }

    private void hostEvent(HostEvent event) {
        switch (event.type()) {
            case HOST_ADDED:
            case HOST_REMOVED:
            case HOST_MOVED:
            case HOST_UPDATED:
                replanAll("host " + event.type() + " " + event.subject().id());
                break;
            default:
                break;
        }
    }
}
