package org.dsa110.contimg.security;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * What a Jolokia client (Hawtio) may do, written as an allow-list in code: Jolokia's XML policy cannot say it
 * (an {@code <allow>} entry there only re-opens what a {@code <deny>} closed, and {@code exec} was open
 * globally). Every check knows the caller's role and HTTP method, set for the duration of one HTTP request by
 * {@link #during}.
 * <ul>
 * <li>{@code read}, {@code list}, {@code search}, {@code version}: any authenticated caller;</li>
 * <li>{@code exec}: only by POST (so no page a browser loads can trigger it), and only the operations listed:
 * the inspection operations Hawtio's Camel plugin uses ({@link #INSPECTION}) for {@code read} keys, plus route
 * and context lifecycle and breaker reset ({@link #CONTROL}) for {@code admin} keys, on {@code org.apache.camel}
 * MBeans only;</li>
 * <li>never: attribute writes, notifications, configuration requests, any operation on JFR, logging,
 * HotSpot/DiagnosticCommand MBeans, {@code gc} however it is spelt, and every operation that sends a message into
 * an endpoint ({@code send*}, {@code request*}), whatever the role.</li>
 * </ul>
 * MBeans that can leak secrets or change the process are hidden from {@code list}/{@code search} and unreadable,
 * and so are the JVM's command line and system properties (a {@code -Dhub.db.password=...} would show there).
 */
public final class JolokiaPolicy implements Restrictor {

    /** Operations of Camel MBeans that only read (route dumps, statistics, explain/JSON-schema). */
    public static final Set<String> INSPECTION = Set.of("dumpRoutesAsXml", "dumpRoutesAsYaml", "dumpRouteAsXml",
            "dumpRouteAsYaml", "dumpStatsAsXml", "dumpStatsAsJson", "dumpRouteStatsAsXml", "dumpStepStatsAsXml",
            "dumpRestsAsXml", "dumpRoutesCoverageAsXml", "dumpRouteSourceLocationsAsXml",
            "dumpAllTracedMessagesAsXml", "dumpTracedMessagesAsXml", "createRouteStaticEndpointJson",
            "componentParameterJsonSchema", "dataFormatParameterJsonSchema", "languageParameterJsonSchema",
            "eipParameterJsonSchema", "explainEndpointJson", "explainEipJson", "explainComponentJson",
            "explainDataFormatJson", "informationJson", "getCamelId", "isUpdateRouteEnabled", "isSupportStatistics",
            "canSendToEndpoint", "listTypeConverters");
    /** Operations an admin may also run: route and context lifecycle, statistics and breaker reset. */
    public static final Set<String> CONTROL = Set.of("start", "stop", "suspend", "resume", "restart", "reset",
            "transitionToCloseState");
    /** MBean types the control operations apply to (the context, its routes, processors such as breakers). */
    private static final Set<String> CONTROL_TYPES = Set.of("context", "routes", "processors");

    /** One request's caller: role ({@code null} = none), HTTP method, the Host it addressed. */
    public record Call(Role role, String httpMethod, String host, Audit audit) {
    }

    /** Receives every exec decision (MBean, operation, allowed) for the audit trail. */
    @FunctionalInterface
    public interface Audit {
        void exec(String mbean, String operation, boolean allowed);
    }

    private static final ThreadLocal<Call> CALL = new ThreadLocal<>();
    private final Set<String> allowedOrigins;

    /** @param allowedOrigins browser origins besides the hub's own (hub.cors.origins), e.g. Hawtio's */
    public JolokiaPolicy(Set<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** Runs one Jolokia request with {@code call} as the caller every check sees. */
    public <T> T during(Call call, Supplier<T> work) {
        CALL.set(call);
        try {
            return work.get();
        } finally {
            CALL.remove();
        }
    }

    private static Role role() {
        Call c = CALL.get();
        return c == null ? null : c.role();
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.POST;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        Call c = CALL.get();
        if (c == null || c.role() == null) {
            return false;
        }
        return switch (type) {
            case READ, LIST, SEARCH, VERSION -> true;
            case EXEC -> "POST".equalsIgnoreCase(c.httpMethod());
            default -> false; // WRITE, NOTIFICATION, CONFIG
        };
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return role() != null && !isObjectNameHidden(name) && !secretBearing(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        Call c = CALL.get();
        // exec only by POST, checked here as well: every exec passes this check, whatever the request type path
        boolean allowed = c != null && "POST".equalsIgnoreCase(c.httpMethod()) && decide(c.role(), name, operation);
        if (c != null && c.audit() != null) {
            c.audit().exec(name.getCanonicalName(), operation, allowed);
        }
        return allowed;
    }

    /** The allow-list itself (public for tests and documentation): {@code operation} may carry a signature. */
    public static boolean decide(Role role, ObjectName name, String operation) {
        if (role == null || name == null || operation == null) {
            return false;
        }
        String op = bare(operation);
        if (isDangerousMBean(name) || isSendOperation(op) || op.equalsIgnoreCase("gc")) {
            return false;
        }
        if (!"org.apache.camel".equals(name.getDomain())) {
            return false;
        }
        if (INSPECTION.contains(op)) {
            return role.covers(Role.READ);
        }
        if (CONTROL.contains(op)) {
            return role.covers(Role.ADMIN) && CONTROL_TYPES.contains(name.getKeyProperty("type"));
        }
        return false;
    }

    /** {@code gc()}, {@code gc(java.lang.String)}, {@code " gc "} all mean {@code gc}. */
    static String bare(String operation) {
        String op = operation.strip();
        int paren = op.indexOf('(');
        return (paren < 0 ? op : op.substring(0, paren)).strip();
    }

    private static boolean isSendOperation(String op) {
        String lower = op.toLowerCase(Locale.ROOT);
        return lower.startsWith("send") || lower.startsWith("request") || lower.startsWith("asyncsend")
                || lower.startsWith("asyncrequest");
    }

    /** JFR, logging, HotSpot diagnostics and DiagnosticCommand: process-level control, whatever the role. */
    private static boolean isDangerousMBean(ObjectName name) {
        String domain = name.getDomain();
        String type = name.getKeyProperty("type");
        return domain.startsWith("jdk.management.jfr")
                || domain.equals("com.sun.management")
                        && ("DiagnosticCommand".equals(type) || "HotSpotDiagnostic".equals(type))
                || domain.equals("java.util.logging")
                || domain.startsWith("ch.qos.logback") || domain.startsWith("org.apache.logging.log4j");
    }

    /** The JVM's arguments and system properties may hold secrets passed with -D. */
    private static boolean secretBearing(ObjectName name, String attribute) {
        if (!"java.lang".equals(name.getDomain()) || !"Runtime".equals(name.getKeyProperty("type"))) {
            return false;
        }
        // a null attribute means "all attributes" (the read filters them one by one)
        return attribute != null && (attribute.equals("SystemProperties") || attribute.equals("InputArguments")
                || attribute.equals("ClassPath") || attribute.equals("BootClassPath")
                || attribute.equals("LibraryPath"));
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true; // who may connect is decided by the API key, not the address
    }

    /**
     * Strict in every mode: a request with an {@code Origin} (or {@code Referer}) is served only when it is the
     * hub's own origin or one of {@code hub.cors.origins}; a request without one (curl, Hawtio's server-side
     * proxy) is served.
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        String o = origin.strip();
        if (allowedOrigins.contains(o) || allowedOrigins.contains(originOf(o))) {
            return true;
        }
        Call c = CALL.get();
        return c != null && c.host() != null && hostPort(o).equalsIgnoreCase(c.host());
    }

    /** {@code scheme://host[:port]} of an origin or a Referer URL. */
    static String originOf(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static String hostPort(String url) {
        try {
            String authority = URI.create(url).getRawAuthority();
            return authority == null ? "" : authority;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return isDangerousMBean(name);
    }
}
