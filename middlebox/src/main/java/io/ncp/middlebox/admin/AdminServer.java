package io.ncp.middlebox.admin;

import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.Addresses;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.view.StatsHistory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP(S) server: one NIO thread of its own, never on the data path's loops. Refuses to start on a
 * network address without authentication; warns when the token would cross the network in clear.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final EventLoopGroup group;
    private final Channel channel;
    private final AdminConfig config;

    private AdminServer(EventLoopGroup group, Channel channel, AdminConfig config) {
        this.group = group;
        this.channel = channel;
        this.config = config;
    }

    /**
     * Binds {@code cfg.address()} (port 0 = any free port).
     *
     * @throws ConfigException       for a network address without a token, an unresolvable address, an unusable token
     *                               file or TLS certificate/key
     * @throws IllegalStateException when the address cannot be bound
     */
    public static AdminServer start(AdminConfig cfg, Middlebox middlebox) {
        List<InetAddress> addrs = Addresses.resolve("admin", cfg.address().host());
        boolean loopback = addrs.stream().allMatch(InetAddress::isLoopbackAddress);
        if (!loopback && !cfg.authenticated()) {
            throw new ConfigException("admin.tokenFile", "'none' is allowed on a loopback admin address only; '"
                + cfg.address() + "' is reachable from the network: give the admin API a token file");
        }
        AdminToken token = cfg.authenticated() ? AdminToken.loadOrCreate(cfg.tokenFile()) : null;
        SslContext ssl = cfg.tls() ? tls(cfg.tlsCert(), cfg.tlsKey()) : null;
        if (!loopback && ssl == null) {
            LOG.warn("admin: {} is a network address and the admin API speaks plain HTTP: its token crosses the "
                + "network in clear (configure admin.tls cert and key)", cfg.address());
        }
        AdminAccess access = new AdminAccess(token, cfg.metricsOpen(), loopback);
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("ncp-admin", true));
        StatsHistory history = new StatsHistory(middlebox);
        group.scheduleAtFixedRate(() -> {
            try {
                history.sample();
            } catch (RuntimeException e) { // keep sampling: a missed sample is a gap in the charts
                LOG.warn("admin: stats history sample failed: {}", e.toString());
            }
        }, 0, StatsHistory.INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        ChannelFuture f = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                    }
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                        new AdminHandler(middlebox, access, history));
                }
            }).bind(new InetSocketAddress(addrs.get(0), cfg.address().port())).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("admin: cannot listen on " + cfg.address() + ": " + f.cause().getMessage(),
                f.cause());
        }
        return new AdminServer(group, f.channel(), cfg);
    }

    private static SslContext tls(Path cert, Path key) {
        for (Path p : new Path[] {cert, key}) {
            if (!Files.isReadable(p)) {
                throw new ConfigException(p == cert ? "admin.tls.cert" : "admin.tls.key", "'" + p + "' "
                    + (Files.exists(p) ? "is not readable" : "does not exist"));
            }
        }
        try {
            return SslContextBuilder.forServer(cert.toFile(), key.toFile()).build();
        } catch (Exception e) { // SSLException, IllegalArgumentException: a bad PEM file or a key that does not match
            throw new ConfigException("admin.tls", "cannot use certificate '" + cert + "' with key '" + key + "': "
                + e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "")
                + " (the key must be an unencrypted PEM PKCS#8 key, 'BEGIN PRIVATE KEY'; convert one with "
                + "openssl pkcs8 -topk8 -nocrypt)");
        }
    }

    /** The bound address (the real port when 0 was asked). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The base URL, e.g. {@code https://127.0.0.1:9090/} ({@code 0.0.0.0} when bound to every address). */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "0.0.0.0" : a.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return (config.tls() ? "https" : "http") + "://" + host + ":" + a.getPort() + "/";
    }

    /** The admin settings it runs with. */
    public AdminConfig config() {
        return config;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
