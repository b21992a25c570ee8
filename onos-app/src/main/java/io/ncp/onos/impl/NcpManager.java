package io.ncp.onos.impl;

import com.google.common.collect.ImmutableSet;
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
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.onosproject.net.config.ConfigFactory;
import org.onosproject.net.config.NetworkConfigEvent;
import org.onosproject.net.config.NetworkConfigListener;
import org.onosproject.net.config.NetworkConfigRegistry;
import org.onosproject.net.flow.FlowRuleService;
import org.onosproject.net.host.HostEvent;
import org.onosproject.net.host.HostListener;
import org.onosproject.net.host.HostService;
import org.onosproject.net.topology.TopologyListener;
import org.onosproject.net.topology.TopologyService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.onlab.util.Tools.groupedThreads;
import static org.onosproject.net.config.basics.SubjectFactories.APP_SUBJECT_FACTORY;

/**
 * The NCP controller component. Specs come from the CLI, REST, the GUI ({@link #addReplication}) and the network
 * config ({@link NcpConfig}); for each one it plans the redirection on a snapshot of the topology and hosts
 * ({@link RedirectionPlanner}), installs the rules {@code fromApp(appId)} ({@link RuleInstaller}), replans all specs
 * on topology and host events, removes a spec's rules when it is removed and every rule on deactivation, and pushes
 * specs to the middlebox admin API ({@link MiddleboxClient}).
 *
 * <p>Threading: ONOS listeners only queue work. One single-threaded executor, the planner thread, owns the
 * installed state ({@link #installer}, {@link #installed}) and makes every FlowRule call, in submission order;
 * {@link #specs} is the shared source of truth, written under this object's lock together with the submission of
 * the task that applies the change. State lives in memory on this instance (no distributed store): specs added by
 * CLI/REST/GUI are lost on restart, netcfg ones are re-read.
 */
@Component(immediate = true, service = NcpService.class)
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

    /** Test hooks: set before {@link #activate()} to replace the planner thread / middlebox client. */
    ExecutorService plannerThread;
    MiddleboxClient middlebox;

    private final RedirectionPlanner planner = new RedirectionPlanner();
    private final Map<String, ReplicationSpec> specs = new ConcurrentHashMap<>();
    /** Planner thread only (written), any thread (read): latest plan or planning error per spec. */
    private final Map<String, InstalledPlan> installed = new ConcurrentHashMap<>();
    /** Names of the specs that came from the network config (planner thread only). */
    private final Set<String> fromConfig = new HashSet<>();
    private final AtomicBoolean replanQueued = new AtomicBoolean();
    private final TopologyListener topologyListener = event -> replanAll("topology " + event.type());
    private final HostListener hostListener = this::hostEvent;
    private final NetworkConfigListener configListener = this::configEvent;
    private final Set<ConfigFactory<?, ?>> factories = ImmutableSet.of(
            new ConfigFactory<ApplicationId, NcpConfig>(APP_SUBJECT_FACTORY, NcpConfig.class, NcpConfig.KEY) {
                @Override
                public NcpConfig createConfig() {
                    return new NcpConfig();
                }
            });

    private ApplicationId appId;
    private RuleInstaller installer;

    @Activate
    protected void activate() {
        appId = coreService.registerApplication(APP_NAME);
        installer = new RuleInstaller(flowRuleService, appId);
        if (plannerThread == null) {
            plannerThread = Executors.newSingleThreadExecutor(groupedThreads("onos/ncp", "planner-%d", LOG));
        }
        if (middlebox == null) {
            middlebox = MiddleboxClient.withDefaults();
        }
        factories.forEach(netcfgService::registerConfigFactory);
        netcfgService.addListener(configListener);
        topologyService.addListener(topologyListener);
        hostService.addListener(hostListener);
        plannerThread.execute(this::applyConfig);
        LOG.info("Started NCP ({})", appId.id());
    }

    @Deactivate
    protected void deactivate() {
        hostService.removeListener(hostListener);
        topologyService.removeListener(topologyListener);
        netcfgService.removeListener(configListener);
        factories.forEach(netcfgService::unregisterConfigFactory);
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
                push.map(MiddleboxClient.Status::attempts).orElse(0)));
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
            return;
        }
        try {
            NetworkGraph graph = snapshot != null ? snapshot
                    : OnosGraphBuilder.snapshot(topologyService, hostService);
            ReplicationPlan plan = planner.plan(graph, spec);
            installer.install(name, plan.rules());
            installed.put(name, new InstalledPlan(spec, plan, null));
        } catch (PlanningException | IllegalArgumentException e) {
            installer.remove(name);
            installed.put(name, new InstalledPlan(spec, null, e.getMessage()));
            LOG.warn("NCP: spec '{}' cannot be planned, its rules are removed: {}", name, e.getMessage());
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

    private void configEvent(NetworkConfigEvent event) {
        if (event.configClass() == NcpConfig.class) {
            plannerThread.execute(this::applyConfig);
        }
    }

    /** Planner thread: makes the netcfg-origin specs equal to the current config. */
    private void applyConfig() {
        NcpConfig cfg = netcfgService.getConfig(appId, NcpConfig.class);
        List<ReplicationSpec> wanted;
        try {
            wanted = cfg == null ? List.of() : cfg.replications();
        } catch (SpecException e) {
            LOG.error("NCP: network config ignored: {}", e.getMessage());
            return;
        }
        Set<String> names = new HashSet<>();
        for (ReplicationSpec spec : wanted) {
            try {
                store(spec);
                names.add(spec.name());
            } catch (SpecException e) {
                LOG.error("NCP: configured spec '{}' ignored: {}", spec.name(), e.getMessage());
            }
        }
        for (String old : fromConfig) {
            if (!names.contains(old)) {
                removeReplication(old);
            }
        }
        fromConfig.clear();
        fromConfig.addAll(names);
    }
}
