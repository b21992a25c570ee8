package io.ncp.onos.impl;

import com.google.common.collect.ImmutableSet;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.config.ConfigFactory;
import org.onosproject.net.config.NetworkConfigEvent;
import org.onosproject.net.config.NetworkConfigListener;
import org.onosproject.net.config.NetworkConfigRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.onosproject.net.config.basics.SubjectFactories.APP_SUBJECT_FACTORY;

/**
 * The network config as a source of specs: registers {@link NcpConfig}, and on each change of it makes the specs
 * that came from the config equal to the config (adds/replaces the configured ones, removes those that left it).
 * A bad config is logged and ignored; a configured spec that overlaps another is logged and skipped.
 *
 * <p>Threading: {@link #register}/{@link #unregister} on the component's activation thread; the config is applied
 * on the planner thread ({@code plannerQueue}), which owns {@link #fromConfig}.
 */
final class NetcfgSpecs {

    private static final Logger LOG = LoggerFactory.getLogger(NetcfgSpecs.class);

    private final NetworkConfigRegistry registry;
    private final ApplicationId appId;
    private final Consumer<Runnable> plannerQueue;
    private final Consumer<ReplicationSpec> store;
    private final Predicate<String> remove;
    private final Set<String> fromConfig = new HashSet<>();
    private final NetworkConfigListener listener = this::event;
    private final Set<ConfigFactory<?, ?>> factories = ImmutableSet.of(
            new ConfigFactory<ApplicationId, NcpConfig>(APP_SUBJECT_FACTORY, NcpConfig.class, NcpConfig.KEY) {
                @Override
                public NcpConfig createConfig() {
                    return new NcpConfig();
                }
            });

    /**
     * @param store  stores a spec (throws SpecException when it cannot be stored)
     * @param remove removes a spec by name
     */
    NetcfgSpecs(NetworkConfigRegistry registry, ApplicationId appId, Consumer<Runnable> plannerQueue,
                Consumer<ReplicationSpec> store, Predicate<String> remove) {
        this.registry = registry;
        this.appId = appId;
        this.plannerQueue = plannerQueue;
        this.store = store;
        this.remove = remove;
    }

    /** Registers the config class and listener, and queues applying the current config. */
    void register() {
        factories.forEach(registry::registerConfigFactory);
        registry.addListener(listener);
        plannerQueue.accept(this::apply);
    }

    void unregister() {
        registry.removeListener(listener);
        factories.forEach(registry::unregisterConfigFactory);
    }

    private void event(NetworkConfigEvent event) {
        if (event.configClass() == NcpConfig.class) {
            plannerQueue.accept(this::apply);
        }
    }

    /** Planner thread: makes the netcfg-origin specs equal to the current config. */
    private void apply() {
        NcpConfig cfg = registry.getConfig(appId, NcpConfig.class);
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
                store.accept(spec);
                names.add(spec.name());
            } catch (SpecException e) {
                LOG.error("NCP: configured spec '{}' ignored: {}", spec.name(), e.getMessage());
            }
        }
        for (String old : fromConfig) {
            if (!names.contains(old)) {
                remove.test(old);
            }
        }
        fromConfig.clear();
        fromConfig.addAll(names);
    }
}
