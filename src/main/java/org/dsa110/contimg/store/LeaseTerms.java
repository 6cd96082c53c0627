package org.dsa110.contimg.store;

/**
 * How long a claim lasts without renewal and how often its owner renews it ({@code hub.cluster.lease-seconds},
 * {@code hub.cluster.heartbeat-seconds}). Lease times are computed by the database ({@code CURRENT_TIMESTAMP}), so
 * every hub compares them against one clock.
 */
public record LeaseTerms(int heartbeatSeconds, int leaseSeconds) {
    /** The defaults of config/application.properties (heartbeat 10 s, lease 60 s). */
    public static final LeaseTerms DEFAULT = new LeaseTerms(10, 60);

    public LeaseTerms {
        if (heartbeatSeconds < 1 || leaseSeconds <= heartbeatSeconds) {
            throw new IllegalArgumentException("the lease (" + leaseSeconds + " s) must be longer than the heartbeat ("
                    + heartbeatSeconds + " s), and the heartbeat at least 1 s");
        }
    }

    /** SQL for "the lease ends {@code leaseSeconds} from now" (standard interval syntax: H2 and PostgreSQL). */
    public String untilSql() {
        return "CURRENT_TIMESTAMP + INTERVAL '" + leaseSeconds + "' SECOND";
    }
}
