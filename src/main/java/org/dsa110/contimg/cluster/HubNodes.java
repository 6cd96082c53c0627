package org.dsa110.contimg.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.LeaseTerms;
import org.dsa110.contimg.store.StoreException;

/**
 * The hubs of a cluster ({@code hub_nodes}) and the marker files that prove they share storage. Each hub writes
 * {@code <root>/.hubs/<worker id>} into the shared roots (staging and products: what the stages of one hub read
 * from another's); a hub starting on a database whose live peers' markers are absent from its own roots is not on
 * their storage, and refuses to start (a group's stages would run on hubs that cannot see each other's products).
 */
public final class HubNodes {
    /** The directory of marker files under each shared root. */
    public static final String MARKER_DIR = ".hubs";

    /** A live peer: another hub whose lease has not run out. */
    public record Peer(String workerId, String hostname, String dataDir) {
    }

    private final Db db;
    private final LeaseTerms lease;

    public HubNodes(Db db, LeaseTerms lease) {
        this.db = db;
        this.lease = lease;
    }

    /** Other hubs of the cluster whose node lease is still running. */
    public List<Peer> livePeers(String workerId) {
        List<Peer> out = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT worker_id, hostname, data_dir FROM hub_nodes WHERE worker_id <> ?"
                + " AND state = 'running' AND lease_until > CURRENT_TIMESTAMP ORDER BY worker_id", workerId)) {
            out.add(new Peer((String) r.get("worker_id"), (String) r.get("hostname"), (String) r.get("data_dir")));
        }
        return out;
    }

    /**
     * Why this hub must not join the cluster from {@code dataDir} (null when it may): a live peer whose marker is
     * missing from one of {@code sharedRoots}, or that keeps the shared directory at another path (products are
     * recorded with absolute paths, so every hub must see them at the same one).
     */
    public String storageProblem(String workerId, Path dataDir, List<Path> sharedRoots) {
        for (Peer p : livePeers(workerId)) {
            for (Path root : sharedRoots) {
                if (!Files.exists(root.resolve(MARKER_DIR).resolve(p.workerId()))) {
                    return "data directory " + dataDir + " is not shared with cluster peer " + p.workerId() + " ("
                            + p.hostname() + ", data directory " + p.dataDir() + "): its marker is missing from "
                            + root.resolve(MARKER_DIR) + "; every hub on one database must share HUB_DATA_DIR "
                            + "(docs/operations.md, \"Running several hubs\")";
                }
            }
            if (p.dataDir() != null && !p.dataDir().equals(dataDir.toString())) {
                return "cluster peer " + p.workerId() + " keeps the shared data directory at " + p.dataDir()
                        + " and this hub at " + dataDir + ": mount it at the same path on every hub (products are "
                        + "recorded with absolute paths)";
            }
        }
        return null;
    }

    /** Writes this hub's marker into each shared root. */
    public void writeMarkers(String workerId, List<Path> sharedRoots, String hostname, long pid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("worker_id", workerId);
        m.put("hostname", hostname);
        m.put("pid", pid);
        m.put("written_at", Instant.now());
        for (Path root : sharedRoots) {
            try {
                Path dir = Files.createDirectories(root.resolve(MARKER_DIR));
                Files.writeString(dir.resolve(workerId), Json.write(m) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the cluster marker into " + root, e);
            }
        }
    }

    /** This hub is running: its row (re)started, its node lease begun. */
    public void started(String workerId, String hostname, long pid, Path dataDir) {
        Instant now = Instant.now();
        int n = db.update("UPDATE hub_nodes SET hostname = ?, pid = ?, data_dir = ?, started_at = ?, last_heartbeat = ?,"
                + " lease_until = " + lease.untilSql() + ", state = 'running' WHERE worker_id = ?", hostname, pid,
                dataDir.toString(), now, now, workerId);
        if (n == 0) {
            try {
                db.update("INSERT INTO hub_nodes (worker_id, hostname, pid, data_dir, started_at, last_heartbeat,"
                        + " lease_until, state) VALUES (?, ?, ?, ?, ?, ?, " + lease.untilSql() + ", 'running')",
                        workerId, hostname, pid, dataDir.toString(), now, now);
            } catch (StoreException e) {
                started(workerId, hostname, pid, dataDir); // a concurrent start of the same id inserted first
            }
        }
    }

    /** Renews this hub's node lease. */
    public void heartbeat(String workerId) {
        db.update("UPDATE hub_nodes SET last_heartbeat = ?, lease_until = " + lease.untilSql()
                + ", state = 'running' WHERE worker_id = ?", Instant.now(), workerId);
    }

    /** A clean stop. */
    public void stopped(String workerId) {
        db.update("UPDATE hub_nodes SET state = 'stopped' WHERE worker_id = ?", workerId);
    }

    /**
     * Marks running hubs whose lease ran out as lost; returns them (each is reported by exactly one hub: the guarded
     * update decides).
     */
    public List<Map<String, Object>> markLost() {
        List<Map<String, Object>> lost = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT worker_id, hostname, last_heartbeat FROM hub_nodes"
                + " WHERE state = 'running' AND lease_until < CURRENT_TIMESTAMP")) {
            if (db.update("UPDATE hub_nodes SET state = 'lost' WHERE worker_id = ? AND state = 'running'"
                    + " AND lease_until < CURRENT_TIMESTAMP", r.get("worker_id")) == 1) {
                lost.add(r);
            }
        }
        return lost;
    }

    /** Every hub of the cluster (for operators). */
    public List<Map<String, Object>> list() {
        return db.query("SELECT worker_id, hostname, pid, data_dir, state, started_at, last_heartbeat, lease_until"
                + " FROM hub_nodes ORDER BY worker_id");
    }
}
