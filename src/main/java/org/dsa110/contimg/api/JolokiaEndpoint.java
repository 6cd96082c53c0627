package org.dsa110.contimg.api;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.Utils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceSupport;
import org.dsa110.contimg.security.AuditLog;
import org.dsa110.contimg.security.Caller;
import org.dsa110.contimg.security.JolokiaPolicy;
import org.jolokia.json.JSONStructure;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.api.LogHandler;
import org.jolokia.server.core.util.NetworkUtil;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's Jolokia at {@code /api/jolokia}, in place of Camel's default plugin (bound under the plugin's id,
 * {@code jolokia}, Camel's management server takes it from the registry). The difference: every request runs
 * with its caller (authenticated by {@link AccessControl}, which always asks for a key here) under
 * {@link JolokiaPolicy}, which knows the caller's role and HTTP method; every exec decision goes to the audit
 * log. Camel's server runs this handler on a worker thread, after its body handler.
 */
public final class JolokiaEndpoint extends ServiceSupport implements JolokiaPlatformHttpPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(JolokiaEndpoint.class);

    private final JolokiaPolicy policy;
    private final AuditLog audit;
    private final ClientAddress clients;
    private final JolokiaServiceManager serviceManager;
    private CamelContext camelContext;
    private HttpRequestHandler requestHandler;
    private Handler<RoutingContext> handler;

    public JolokiaEndpoint(JolokiaPolicy policy, AuditLog audit, ClientAddress clients) {
        this.policy = policy;
        this.audit = audit;
        this.clients = clients;
        StaticConfiguration config = new StaticConfiguration(ConfigKey.AGENT_ID,
                NetworkUtil.getAgentId(hashCode(), "vertx"), ConfigKey.INCLUDE_STACKTRACE, "false",
                ConfigKey.SERIALIZE_EXCEPTION, "false");
        serviceManager = JolokiaServiceManagerFactory.createJolokiaServiceManager(config, new Slf4jLog(), policy);
        serviceManager.addService(new JolokiaSerializer());
        serviceManager.addService(new LocalRequestHandler(1));
    }

    @Override
    protected void doStart() {
        requestHandler = new HttpRequestHandler(serviceManager.start());
        handler = this::handle;
    }

    @Override
    protected void doStop() {
        serviceManager.stop();
    }

    @Override
    public Object getHandler() {
        return handler;
    }

    @Override
    public String getId() {
        return NAME;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    private void handle(RoutingContext ctx) {
        Caller caller = ctx.get(AccessControl.CALLER);
        HttpServerRequest req = ctx.request();
        if (caller == null || !caller.authenticated()) {
            // AccessControl refuses these first; this is the second lock on the same door
            HttpEdge.error(ctx, 401, "UNAUTHORIZED", "Jolokia needs an API key", Map.of());
            return;
        }
        String address = clients.of(req);
        JolokiaPolicy.Call call = new JolokiaPolicy.Call(caller.role(), req.method().name(), AccessControl.authority(req),
                (mbean, operation, allowed) -> audit.record(new AuditLog.Entry(Instant.now(), caller.name(),
                        caller.role().word(), address, "EXEC", mbean + " " + operation, allowed ? 200 : 403)));
        int status = 200;
        String body;
        try {
            body = policy.during(call, () -> process(ctx, req));
        } catch (SecurityException e) {
            HttpEdge.error(ctx, 403, "FORBIDDEN", e.getMessage(), Map.of());
            return;
        } catch (RuntimeException e) {
            LOG.warn("Jolokia request failed: {}", e.toString());
            status = 500;
            body = requestHandler.handleThrowable(e).toJSONString();
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    private String process(RoutingContext ctx, HttpServerRequest req) {
        try {
            String origin = req.getHeader("Origin");
            if (origin == null) {
                origin = req.getHeader("Referer");
            }
            String host = req.remoteAddress() == null ? "" : req.remoteAddress().host();
            requestHandler.checkAccess(req.scheme(), host, host,
                    origin == null ? "" : origin.replaceAll("[\\r\\n]", ""));
            JSONStructure json;
            if (req.method() == HttpMethod.GET) {
                json = requestHandler.handleGetRequest(req.uri(), Utils.pathOffset(req.path(), ctx),
                        params(req.params()));
            } else {
                byte[] bytes = ctx.body() == null || ctx.body().buffer() == null ? new byte[0]
                        : ctx.body().buffer().getBytes();
                json = requestHandler.handlePostRequest(req.uri(), new ByteArrayInputStream(bytes),
                        StandardCharsets.UTF_8.name(), params(req.params()));
            }
            return json == null ? "" : json.toJSONString();
        } catch (SecurityException e) {
            throw e;
        } catch (Exception e) {
            return requestHandler.handleThrowable(e).toJSONString();
        }
    }

    private static Map<String, String[]> params(MultiMap params) {
        Map<String, String[]> out = new HashMap<>();
        for (String name : params.names()) {
            out.put(name, params.getAll(name).toArray(new String[0]));
        }
        return out;
    }

    /** Jolokia's own log lines, into the hub's log. */
    private static final class Slf4jLog implements LogHandler {
        @Override
        public void debug(String message) {
            LOG.debug(message);
        }

        @Override
        public void info(String message) {
            LOG.debug(message);
        }

        @Override
        public void error(String message, Throwable t) {
            LOG.warn("{}: {}", message, t == null ? "" : t.toString());
        }

        @Override
        public boolean isDebug() {
            return LOG.isDebugEnabled();
        }
    }
}
