package org.dsa110.contimg.ops.breakers;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.camel.model.Resilience4jConfigurationDefinition;

/**
 * The hub's circuit breakers, one Resilience4j breaker per external dependency or stage family. They live in one
 * {@link CircuitBreakerRegistry} bound in the Camel registry: Camel's circuitBreaker EIP with the same
 * {@code id} picks up the pre-configured breaker from it, so thresholds come from config, not from the routes.
 *
 * <p>Semantics (as the earlier pipeline's breakers): a breaker opens after {@code failureThreshold} failures among
 * its last {@code failureThreshold} calls (count window, failure rate 100 % by default), stays open for
 * {@code recoverySeconds}, then lets one trial call through (half open): success closes it, failure re-opens it.
 * Failures the {@code ignored} predicate accepts (permanent input errors) do not count: they say nothing about
 * the dependency's health.
 *
 * <p>Each breaker's settings are also bound as a Camel circuit-breaker configuration named
 * {@code breaker.<name>} ({@link #routeConfiguration}), which the {@code circuitBreaker} steps in routes/ reference:
 * Camel's processor reports its thresholds over JMX from that configuration, so Hawtio shows the settings the
 * breaker really runs with rather than Resilience4j's defaults.
 */
public final class Breakers {
    /** Registry name prefix of the route-side configurations ({@code configuration: breaker.<name>} in routes/). */
    public static final String CONFIGURATION_PREFIX = "breaker.";

    /** Config of one breaker. */
    public record Settings(int failureThreshold, int recoverySeconds, float failureRatePercent) {
        public Settings {
            if (failureThreshold < 1 || recoverySeconds < 1 || failureRatePercent <= 0 || failureRatePercent > 100) {
                throw new IllegalArgumentException("breaker settings out of range: threshold " + failureThreshold
                        + ", recovery " + recoverySeconds + " s, rate " + failureRatePercent + " %");
            }
        }
    }

    /** One trial call when half open. */
    private static final int HALF_OPEN_CALLS = 1;

    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private final Map<String, Settings> settings = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();
    private final Predicate<Throwable> ignored;
    /**
     * CircuitBreakerState: the earlier pipeline's fields plus failure rate (null until the window has enough calls),
     * threshold and refused calls; {@code recovery_timeout} in seconds.
     */
    public record BreakerState(String name, String state, int failureCount, int successCount, Double failureRate,
            int failureThreshold, double failureRateThreshold, long notPermittedCalls, Instant lastFailureTime,
            long recoveryTimeout) {
    }

    private final BiConsumer<String, BreakerState> onStateChange;

    /**
     * @param ignored       failures that do not count (checked on the whole cause chain by the caller's predicate)
     * @param onStateChange called with (breaker name, state view) on every transition (live events)
     */
    public Breakers(Map<String, Settings> configured, Predicate<Throwable> ignored,
            BiConsumer<String, BreakerState> onStateChange) {
        this.ignored = ignored;
        this.onStateChange = onStateChange;
        configured.forEach(this::define);
    }

    public CircuitBreakerRegistry registry() {
        return registry;
    }

    public Map<String, Settings> settings() {
        return Map.copyOf(settings);
    }

    /** Creates (or replaces, closed) the breaker {@code name} with these settings. */
    public synchronized CircuitBreaker define(String name, Settings s) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(s.failureThreshold())
                .minimumNumberOfCalls(s.failureThreshold())
                .failureRateThreshold(s.failureRatePercent())
                .waitDurationInOpenState(Duration.ofSeconds(s.recoverySeconds()))
                .permittedNumberOfCallsInHalfOpenState(HALF_OPEN_CALLS)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .ignoreException(ignored)
                .writableStackTraceEnabled(false)
                .build();
        registry.remove(name);
        CircuitBreaker cb = registry.circuitBreaker(name, config);
        settings.put(name, s);
        cb.getEventPublisher()
                .onError(e -> lastFailure.put(name, Instant.now()))
                .onStateTransition(e -> onStateChange.accept(name, view(cb)));
        return cb;
    }

    /**
     * The settings of breaker {@code name} as the circuit-breaker configuration its route steps reference (the
     * same values {@link #define} gives Resilience4j), or empty when there is no such breaker.
     */
    public Optional<Resilience4jConfigurationDefinition> routeConfiguration(String name) {
        Settings s = settings.get(name);
        if (s == null) {
            return Optional.empty();
        }
        Resilience4jConfigurationDefinition d = new Resilience4jConfigurationDefinition();
        d.setId(CONFIGURATION_PREFIX + name);
        d.setSlidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED.name());
        d.setSlidingWindowSize(Integer.toString(s.failureThreshold()));
        d.setMinimumNumberOfCalls(Integer.toString(s.failureThreshold()));
        d.setFailureRateThreshold(Float.toString(s.failureRatePercent()));
        d.setWaitDurationInOpenState(Integer.toString(s.recoverySeconds()));
        d.setPermittedNumberOfCallsInHalfOpenState(Integer.toString(HALF_OPEN_CALLS));
        d.setAutomaticTransitionFromOpenToHalfOpenEnabled("false");
        d.setWritableStackTraceEnabled("false");
        return Optional.of(d);
    }

    public List<BreakerState> list() {
        List<CircuitBreaker> all = new ArrayList<>(registry.getAllCircuitBreakers());
        all.sort(Comparator.comparing(CircuitBreaker::getName));
        return all.stream().map(this::view).toList();
    }

    public Optional<BreakerState> state(String name) {
        return registry.find(name).map(this::view);
    }

    /** Closes the breaker and clears its counts; empty when there is no such breaker. */
    public Optional<BreakerState> reset(String name) {
        return registry.find(name).map(cb -> {
            cb.reset();
            lastFailure.remove(name);
            return view(cb);
        });
    }

    /** Counts for dashboards: how many breakers, how many open, and the breakers themselves. */
    public record BreakerCounts(int total, long open, List<BreakerState> breakers) {
    }

    public BreakerCounts summary() {
        List<BreakerState> all = list();
        return new BreakerCounts(all.size(), all.stream().filter(b -> "open".equals(b.state())).count(), all);
    }

    /** CircuitBreakerState: the earlier pipeline's fields plus failure rate, threshold and refused calls. */
    BreakerState view(CircuitBreaker cb) {
        CircuitBreaker.Metrics m = cb.getMetrics();
        CircuitBreakerConfig c = cb.getCircuitBreakerConfig();
        float rate = m.getFailureRate(); // -1 until the window has enough calls
        return new BreakerState(cb.getName(), stateName(cb.getState()), m.getNumberOfFailedCalls(),
                m.getNumberOfSuccessfulCalls(), rate < 0 ? null : (double) rate, c.getMinimumNumberOfCalls(),
                c.getFailureRateThreshold(), m.getNumberOfNotPermittedCalls(), lastFailure.get(cb.getName()),
                Duration.ofMillis(c.getWaitIntervalFunctionInOpenState().apply(1)).toSeconds());
    }

    /** closed | open | half_open (the earlier API's spelling). */
    public static String stateName(CircuitBreaker.State s) {
        return switch (s) {
            case CLOSED -> "closed";
            case OPEN, FORCED_OPEN -> "open";
            case HALF_OPEN -> "half_open";
            case DISABLED -> "disabled";
            case METRICS_ONLY -> "metrics_only";
        };
    }
}
