package io.ncp.middlebox.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.ConfigLoader;
import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ServiceChecks;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.Units;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.view.HealthView;
import io.ncp.middlebox.view.MetricsView;
import io.ncp.middlebox.view.StatsHistory;
import io.ncp.middlebox.view.StatsView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Routes admin requests. Request buffers are released by {@link SimpleChannelInboundHandler}; each response buffer
 * is handed to the channel's write, which releases it.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICES = "/services/";

    private final Middlebox middlebox;
    private final AdminAccess access;
    private final StatsHistory history;

    AdminHandler(Middlebox middlebox, AdminAccess access) {
        this(middlebox, access, null);
    }

    /** @param history the sampled history ({@code /stats/history}, lag in seconds), or null */
    AdminHandler(Middlebox middlebox, AdminAccess access, StatsHistory history) {
        this.middlebox = middlebox;
        this.access = access;
        this.history = history;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        HttpMethod method = req.method();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        FullHttpResponse resp;
        AdminAccess.Refusal refusal = access.check(req, path);
        try {
            if (refusal != null) {
                resp = json(refusal.status(), error(refusal.message()));
                if (refusal.status().equals(HttpResponseStatus.UNAUTHORIZED)) {
                    resp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"ncp\"");
                }
            } else if (path.equals(VoteEndpoint.PATH)) {
                ctx.channel().config().setAutoRead(false); // one vote at a time per connection: answers stay in order
                VoteEndpoint.handle(middlebox, method, req.content().toString(StandardCharsets.UTF_8), a -> {
                    send(ctx, keepAlive, json(HttpResponseStatus.valueOf(a.status()), a.body()));
                    ctx.channel().config().setAutoRead(true);
                });
                return;
            } else {
                resp = route(path, method, req.content().toString(StandardCharsets.UTF_8));
            }
        } catch (ConfigException e) {
            resp = json(HttpResponseStatus.BAD_REQUEST, error(e.getMessage()).put("field", e.field()));
        } catch (IllegalStateException e) {
            resp = json(HttpResponseStatus.CONFLICT, error(e.getMessage()));
        }
        ctx.channel().config().setAutoRead(true); // a vote refused by an exception: reading goes on
        send(ctx, keepAlive, resp);
    }

    /** Writes {@code resp} (any thread: the write runs on the channel's loop, which releases the buffer). */
    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse resp) {
        HttpUtil.setContentLength(resp, resp.content().readableBytes());
        if (keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(resp);
        } else {
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(String path, HttpMethod method, String body) {
        if (path.equals("/health") && method.equals(HttpMethod.GET)) {
            ObjectNode o = HealthView.json(middlebox);
            return json(HealthView.serving(o) ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, o);
        }
        if (path.equals("/stats") && method.equals(HttpMethod.GET)) {
            return json(HttpResponseStatus.OK, StatsView.json(middlebox, history));
        }
        if (path.equals("/stats/history") && method.equals(HttpMethod.GET)) {
            return history == null ? json(HttpResponseStatus.NOT_FOUND, error("no history is sampled here"))
                : json(HttpResponseStatus.OK, history.json());
        }
        if (path.equals("/metrics") && method.equals(HttpMethod.GET)) {
            return text(HttpResponseStatus.OK, MetricsView.render(middlebox, history), "text/plain; version=0.0.4");
        }
        UiAssets.Asset asset = UiAssets.get(path);
        if (asset != null && method.equals(HttpMethod.GET)) {
            return page(asset);
        }
        if (path.equals("/services") && method.equals(HttpMethod.GET)) {
            ArrayNode list = JSON.createArrayNode();
            for (ServiceRuntime s : middlebox.services()) {
                list.add(describe(s));
            }
            return json(HttpResponseStatus.OK, list);
        }
        if (path.startsWith(SERVICES) && path.length() > SERVICES.length()) {
            String name = path.substring(SERVICES.length());
            if (name.endsWith(TlsActions.RELOAD) && name.length() > TlsActions.RELOAD.length()) {
                ReplicaActions.Answer a = TlsActions.reload(middlebox, name.substring(0, name.length()
                    - TlsActions.RELOAD.length()), method);
                return json(HttpResponseStatus.valueOf(a.status()), a.body());
            }
            int sub = name.indexOf(ReplicaActions.REPLICAS);
            if (sub > 0) {
                ReplicaActions.Answer a = ReplicaActions.handle(middlebox, name.substring(0, sub),
                    name.substring(sub + ReplicaActions.REPLICAS.length()), method, body);
                return json(HttpResponseStatus.valueOf(a.status()), a.body());
            }
            if (method.equals(HttpMethod.GET)) {
                ServiceRuntime s = middlebox.service(name);
                return s == null ? notFound(name) : json(HttpResponseStatus.OK, describe(s));
            }
            if (method.equals(HttpMethod.PUT)) {
                JoinRequest join = JoinRequest.take(body);
                ServiceConfig cfg = ConfigLoader.parseService(name, join.rest());
                middlebox.allowList().check("service", cfg);
                boolean existed = middlebox.service(name) != null;
                ServiceRuntime s = middlebox.putService(cfg, ServiceChecks.Fields.under("service"));
                join.apply(s);
                return json(existed ? HttpResponseStatus.OK : HttpResponseStatus.CREATED, describe(s));
            }
            if (method.equals(HttpMethod.DELETE)) {
                return middlebox.removeService(name) ? json(HttpResponseStatus.OK, JSON.createObjectNode()
                    .put("deleted", name)) : notFound(name);
            }
            return json(HttpResponseStatus.METHOD_NOT_ALLOWED, error("use GET, PUT or DELETE on " + path));
        }
        return json(HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + method + " " + path));
    }

    /** A service as the config schema has it, plus its live listen address and counters. */
    static ObjectNode describe(ServiceRuntime s) {
        ServiceConfig c = s.config();
        ObjectNode o = JSON.createObjectNode();
        o.put("name", c.name());
        o.put("listen", c.listen() == null ? null : c.listen().toString());
        o.put("primary", c.primary().toString());
        o.put("mode", c.mode());
        o.put("compare", c.compare().name().toLowerCase(java.util.Locale.ROOT));
        o.put("protocol", c.protocol().name().toLowerCase(java.util.Locale.ROOT));
        o.put("replicaBacklog", Units.formatSize(c.replicaBacklog()));
        o.put("sessionOrder", c.sessionOrder().name().toLowerCase(java.util.Locale.ROOT));
        o.put("order", c.redis().order().name().toLowerCase(java.util.Locale.ROOT));
        o.put("transparent", c.transparency().transparent());
        o.put("spoofClient", c.transparency() == io.ncp.middlebox.config.Transparency.SPOOF_CLIENT);
        ArrayNode reps = o.putArray("replicas");
        for (ReplicaConfig r : c.replicas()) {
            ObjectNode ro = reps.addObject().put("address", r.address().toString());
            if (r.bind() != null) {
                ro.put("bind", r.bind());
            }
            if (r.auth() != null) { // the references only: the password itself is never shown
                ObjectNode a = ro.putObject("auth");
                a.put("user", r.auth().user());
                if (r.auth().passwordFile() != null) {
                    a.put("passwordFile", r.auth().passwordFile());
                } else {
                    a.put("passwordEnv", r.auth().passwordEnv());
                }
            }
        }
        if (s.tls() != null) {
            o.set("tls", s.tls().json()); // file paths and certificate names only, never key material
        }
        o.set("stats", StatsView.service(s));
        return o;
    }

    private static FullHttpResponse page(UiAssets.Asset asset) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.wrappedBuffer(asset.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.type())
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
            .set("Content-Security-Policy", UiAssets.CONTENT_SECURITY_POLICY)
            .set("X-Content-Type-Options", "nosniff")
            .set("Referrer-Policy", "no-referrer")
            .set("X-Frame-Options", "DENY");
        return r;
    }

    private static FullHttpResponse notFound(String name) {
        return json(HttpResponseStatus.NOT_FOUND, error("no service named '" + name + "'"));
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object node) {
        try {
            return text(status, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n",
                "application/json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
