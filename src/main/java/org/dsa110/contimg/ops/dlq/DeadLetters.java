package org.dsa110.contimg.ops.dlq;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.pipeline.StageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter queue as the routes and the API use it. A failed exchange reaching {@code direct:dlq.store}
 * becomes an item: component, operation, error type (a reason code such as {@code circuit_open}, else the
 * exception class), message, context JSON, the logical resubmit target and the message to resend. A retry resends
 * that message to the target (header {@value #ITEM_HEADER} = the item id): if the work fails again the same item
 * goes back to pending; if it completes the item is resolved. Exchange properties a route may set before
 * dead-lettering: {@value #COMPONENT}, {@value #OPERATION}, {@value #CONTEXT} (a Map),
 * {@value #TARGET}, {@value #HEADERS} (a Map replacing the message headers to resend).
 */
public final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    public static final String ITEM_HEADER = "DlqItemId";
    public static final String ITEM_PROPERTY = "dlqItemId";
    public static final String COMPONENT = "dlqComponent";
    public static final String OPERATION = "dlqOperation";
    public static final String CONTEXT = "dlqContext";
    public static final String TARGET = "dlqResubmitTarget";
    public static final String HEADERS = "dlqResubmitHeaders";
    public static final String CIRCUIT_OPEN = "circuit_open";

    private final DlqStore store;
    private final CamelContext context;
    private final Set<String> transientTypes;
    private final int autoRetryMax;
    private volatile ProducerTemplate producer;
    private volatile ExecutorService retries;

    public DeadLetters(DlqStore store, CamelContext context, Set<String> transientTypes, int autoRetryMax) {
        this.store = store;
        this.context = context;
        this.transientTypes = Set.copyOf(transientTypes);
        this.autoRetryMax = autoRetryMax;
    }

    public DlqStore store() {
        return store;
    }

    /**
     * Stores the failed exchange (or re-pends the item it was a retry of) and sets the exchange property
     * {@value #ITEM_PROPERTY} to the item id. The message is left as it is (the next steps still need it); a failure
     * of the store itself is logged, not thrown, so the dead-letter route goes on to its bookkeeping steps.
     */
    public void store(Exchange ex) {
        try {
            ex.setProperty(ITEM_PROPERTY, doStore(ex));
        } catch (RuntimeException e) {
            LOG.error("could not store a DLQ item for {}: {}", ex.getFromRouteId(), e.getMessage(), e);
        }
    }

    /**
     * The group completed after all: its open items (pending, or retrying by another route) are resolved with
     * {@code note}. Returns how many.
     */
    public int resolveForGroup(String groupId, String note) {
        int n = 0;
        for (long id : store.openForGroup(groupId)) {
            if (store.close(id, "resolved", note, List.of("pending", "retrying"))) {
                publish(id);
                n++;
            }
        }
        return n;
    }

    private long doStore(Exchange ex) {
        Throwable error = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = ex.getException();
        }
        String type = errorType(error);
        String message = message(error);
        Map<String, Object> ctx = new LinkedHashMap<>();
        Object extra = ex.getProperty(CONTEXT);
        if (extra instanceof Map<?, ?> m) {
            m.forEach((k, v) -> ctx.put(String.valueOf(k), v));
        }
        String failedRoute = ex.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (failedRoute != null) {
            ctx.putIfAbsent("route_id", failedRoute);
        }
        String contextJson = Json.write(ctx);

        Long retried = ex.getMessage().getHeader(ITEM_HEADER, Long.class);
        if (retried != null && store.get(retried).isPresent()) {
            store.repend(retried, type, message, contextJson);
            publish(retried);
            LOG.warn("DLQ item {} failed again on retry: {} {}", retried, type, message);
            return retried;
        }
        String component = ex.getProperty(COMPONENT, String.class);
        if (component == null) {
            component = failedRoute != null ? failedRoute : ex.getFromRouteId();
        }
        String operation = ex.getProperty(OPERATION, String.class);
        if (operation == null) {
            operation = ex.getProperty(Exchange.FAILURE_ENDPOINT, String.class);
        }
        String target = ex.getProperty(TARGET, String.class);
        if (target == null && ex.getFromEndpoint() != null) {
            String from = ex.getFromEndpoint().getEndpointUri();
            target = from.startsWith("direct:") || from.startsWith("seda:") ? from : null;
        }
        Map<String, Object> headers = resendHeaders(ex);
        long id = store.insert(new DlqStore.NewItem(component, operation == null ? "process" : operation, type,
                message, contextJson, target, ex.getMessage().getBody(String.class), Json.write(headers)));
        LOG.warn("dead-lettered {} / {} as DLQ item {}: {} {}", component, operation, id, type, message);
        publish(id);
        return id;
    }

    /**
     * Resends an item to its target and records the attempt. Runs asynchronously: the answer says the retry was
     * started; the item resolves (or returns to pending) when the work ends.
     */
    /** A started retry: {@code status} is "retrying"; {@code retry_count} counts this attempt. */
    public record RetryStarted(String status, long itemId, String resubmitTarget, Object retryCount, String note) {
    }

    public RetryStarted retry(long id, String note) {
        Map<String, Object> item = store.get(id).orElseThrow(() -> new IllegalArgumentException("no DLQ item " + id));
        String target = (String) item.get("resubmit_target");
        if (target == null || target.isBlank()) {
            throw new IllegalStateException("DLQ item " + id + " has no resubmit target; resolve or fail it");
        }
        if (!store.markRetrying(id, note)) {
            throw new IllegalStateException("DLQ item " + id + " is " + item.get("status")
                    + "; only pending or failed items can be retried");
        }
        publish(id);
        Exchange resend = new DefaultExchange(context);
        resend.getMessage().setBody(item.get("original_body"));
        resend.getMessage().setHeaders(parse((String) item.get("original_headers")));
        resend.getMessage().setHeader(ITEM_HEADER, id);
        String uri = target.startsWith("seda:") && !target.contains("?")
                // wait for the resent work to finish so success can resolve the item; no timeout (stages are long)
                ? target + "?waitForTaskToComplete=Always&timeout=0" : target;
        executor().submit(() -> resend(id, uri, resend));
        return new RetryStarted("retrying", id, target, store.get(id).map(r -> r.get("retry_count")).orElse(null),
                note);
    }

    private void resend(long id, String uri, Exchange resend) {
        try {
            Exchange done = producer().send(uri, resend);
            Optional<Map<String, Object>> now = store.get(id);
            if (now.isEmpty() || !"retrying".equals(now.get().get("status"))) {
                return; // the work failed again and re-pended the item (or an operator closed it meanwhile)
            }
            if (done.getException() != null) {
                store.repend(id, errorType(done.getException()), message(done.getException()), null);
            } else {
                store.close(id, "resolved", "retry succeeded", List.of("retrying"));
            }
        } catch (RuntimeException e) {
            store.repend(id, errorType(e), message(e), null);
        }
        publish(id);
    }

    /** Retries every pending item of a component; returns the ids started. */
    public List<Long> retryAll(String component, String note) {
        List<Long> started = new ArrayList<>();
        for (long id : store.pendingIds(component)) {
            try {
                retry(id, note);
                started.add(id);
            } catch (IllegalStateException | IllegalArgumentException e) {
                LOG.info("bulk retry skipped DLQ item {}: {}", id, e.getMessage());
            }
        }
        return started;
    }

    /** {@code direct:dlq.auto-retry}: retries pending items whose error type is transient, up to the max count. */
    public Map<String, Object> autoRetry() {
        List<Long> started = new ArrayList<>();
        for (long id : store.pendingOfTypes(transientTypes, autoRetryMax, 100)) {
            try {
                retry(id, null);
                started.add(id);
            } catch (IllegalStateException | IllegalArgumentException e) {
                LOG.info("auto-retry skipped DLQ item {}: {}", id, e.getMessage());
            }
        }
        if (!started.isEmpty()) {
            LOG.info("auto-retry resubmitted DLQ items {}", started);
        }
        return Map.of("retried", started);
    }

    public boolean isTransient(String errorType) {
        return transientTypes.contains(errorType);
    }

    public boolean resolve(long id, String note) {
        boolean ok = store.close(id, "resolved", note, List.of("pending", "retrying", "failed"));
        if (ok) {
            publish(id);
        }
        return ok;
    }

    public boolean fail(long id, String note) {
        boolean ok = store.close(id, "failed", note, List.of("pending", "retrying"));
        if (ok) {
            publish(id);
        }
        return ok;
    }

    /** The error type of a failure: the reason code of a stage failure, circuit_open, or the exception class. */
    public static String errorType(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable root = t;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CallNotPermittedException) {
                return CIRCUIT_OPEN;
            }
            if (c instanceof StageException se && se.reason() != null) {
                return se.reason();
            }
            root = c;
        }
        return root.getClass().getSimpleName();
    }

    public static String message(Throwable t) {
        if (t == null) {
            return null;
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StageException || c instanceof CallNotPermittedException) {
                return c.getMessage();
            }
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getName();
    }

    /** The headers to resend: those a route chose, else the message's own simple non-Camel headers. */
    private static Map<String, Object> resendHeaders(Exchange ex) {
        Map<String, Object> out = new LinkedHashMap<>();
        Object chosen = ex.getProperty(HEADERS);
        Map<?, ?> source = chosen instanceof Map<?, ?> m ? m : ex.getMessage().getHeaders();
        source.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (!key.startsWith("Camel") && !key.equals(ITEM_HEADER)
                    && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                out.put(key, v);
            }
        });
        return out;
    }

    private void publish(long id) {
        store.get(id).ifPresent(r -> {
            EventBroadcaster events = context.getRegistry().lookupByNameAndType("eventBroadcaster",
                    EventBroadcaster.class);
            if (events != null) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("item_id", id);
                data.put("component", r.get("component"));
                data.put("operation", r.get("operation"));
                data.put("status", r.get("status"));
                data.put("error_type", r.get("error_type"));
                data.put("error_message", r.get("error_message"));
                data.put("retry_count", r.get("retry_count"));
                events.publish("dlq_update", data);
            }
        });
    }

    static Map<String, Object> parse(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return new LinkedHashMap<>(Json.MAPPER.readValue(json, MAP));
        } catch (Exception e) {
            return new LinkedHashMap<>();
        }
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
            }
        }
        return producer;
    }

    private ExecutorService executor() {
        if (retries == null) {
            synchronized (this) {
                if (retries == null) {
                    retries = context.getExecutorServiceManager().newCachedThreadPool(this, "dlq-retry");
                }
            }
        }
        return retries;
    }
}
