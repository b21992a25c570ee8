package io.ncp.onos.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.config.Config;
import org.onosproject.net.config.ConfigFactory;
import org.onosproject.net.config.NetworkConfigEvent;
import org.onosproject.net.config.NetworkConfigListener;
import org.onosproject.net.config.NetworkConfigRegistry;
import org.onosproject.net.config.SubjectFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * NetworkConfigRegistry double (the onos-api tests jar has no adapter for it): records factories and listeners,
 * holds one {@link NcpConfig}; {@link #setNcpConfig} applies JSON and fires the event ONOS would.
 */
@SuppressWarnings("rawtypes")
public class TestNetworkConfigRegistry implements NetworkConfigRegistry {

    public final Set<ConfigFactory> factories = new CopyOnWriteArraySet<>();
    public final List<NetworkConfigListener> listeners = new CopyOnWriteArrayList<>();
    private volatile NcpConfig config;

    /** Sets (json != null) or removes the NCP config and notifies listeners. */
    public void setNcpConfig(ApplicationId appId, JsonNode json) {
        boolean existed = config != null;
        if (json == null) {
            config = null;
        } else {
            NcpConfig cfg = new NcpConfig();
            cfg.init(appId, NcpConfig.KEY, json, new ObjectMapper(), c -> { });
            config = cfg;
        }
        NetworkConfigEvent.Type type = json == null ? NetworkConfigEvent.Type.CONFIG_REMOVED
                : existed ? NetworkConfigEvent.Type.CONFIG_UPDATED : NetworkConfigEvent.Type.CONFIG_ADDED;
        NetworkConfigEvent event = new NetworkConfigEvent(type, appId, NcpConfig.class);
        listeners.forEach(l -> l.event(event));
    }

    @Override
    public void registerConfigFactory(ConfigFactory configFactory) {
        factories.add(configFactory);
    }

    @Override
    public void unregisterConfigFactory(ConfigFactory configFactory) {
        factories.remove(configFactory);
    }

    @Override
    public Set<ConfigFactory> getConfigFactories() {
        return Set.copyOf(factories);
    }

    @Override
    public <S, C extends Config<S>> Set<ConfigFactory<S, C>> getConfigFactories(Class<S> subjectClass) {
        return Set.of();
    }

    @Override
    public <S, C extends Config<S>> ConfigFactory<S, C> getConfigFactory(Class<C> configClass) {
        return null;
    }

    @Override
    public Set<Class> getSubjectClasses() {
        return Set.of();
    }

    @Override
    public SubjectFactory getSubjectFactory(String subjectClassKey) {
        return null;
    }

    @Override
    public SubjectFactory getSubjectFactory(Class subjectClass) {
        return null;
    }

    @Override
    public Class<? extends Config> getConfigClass(String subjectClassKey, String configKey) {
        return null;
    }

    @Override
    public <S> Set<S> getSubjects(Class<S> subjectClass) {
        return Set.of();
    }

    @Override
    public <S, C extends Config<S>> Set<S> getSubjects(Class<S> subjectClass, Class<C> configClass) {
        return Set.of();
    }

    @Override
    public <S> Set<? extends Config<S>> getConfigs(S subject) {
        return Set.of();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, C extends Config<S>> C getConfig(S subject, Class<C> configClass) {
        return configClass == NcpConfig.class ? (C) config : null;
    }

    @Override
    public <S, C extends Config<S>> C addConfig(S subject, Class<C> configClass) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <S, C extends Config<S>> C applyConfig(S subject, Class<C> configClass, JsonNode json) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <S, C extends Config<S>> C applyConfig(String subjectClassKey, S subject, String configKey,
                                                  JsonNode json) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <S, C extends Config<S>> void removeConfig(S subject, Class<C> configClass) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <S> void removeConfig(String subjectClassKey, S subject, String configKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <S> void removeConfig(S subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <S> void removeConfig() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addListener(NetworkConfigListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(NetworkConfigListener listener) {
        listeners.remove(listener);
    }
}
