package org.dsa110.contimg.publishing;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves data products from a staging root to {@code <products>/<type dir>/<name>} and records the outcome.
 *
 * <p>One publish: lock the item (staging → publishing, one winner), check the staged product still has the
 * SHA-256 recorded at registration, transfer it (a rename on the same file system, else a copy into a temporary
 * name next to the target followed by a rename), compute the SHA-256 of the product at its published place and
 * compare. Only a verified product is marked {@code published} (and the staged original removed after a copy);
 * any failure puts the item back to staging with {@code publish_attempts + 1} and {@code publish_error} (API
 * status {@code failed}), the staged product untouched, a bad copy at the target removed. A taken target name
 * gets a {@code _<yyyyMMddTHHmmss>} suffix before its extension.
 *
 * <p>Auto-publish (science.md): when the item's auto-publish flag is on, it is validated, QA passed where the
 * type needs QA, and it has fewer than {@code maxAttempts} attempts.
 */
public final class Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    /** Moves a product to its published place (replaceable in tests to simulate a bad copy). */
    @FunctionalInterface
    public interface Transfer {
        void move(Path source, Path target) throws IOException;
    }

    /** The default transfer: atomic rename when possible, else copy to a temporary name and rename. */
    public static final Transfer MOVE = (source, target) -> {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Path tmp = target.resolveSibling("." + target.getFileName() + ".publishing-" + UUID.randomUUID());
            try {
                Checksums.copy(source, tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException copyFailed) {
                Checksums.delete(tmp);
                throw copyFailed;
            }
            Checksums.delete(source);
        }
    };

    /**
     * @param stagingRoots    where products may be published from
     * @param productsRoot    where they go
     * @param qaRequiredTypes types that need qa_status passed for auto-publish
     * @param maxAttempts     auto-publish gives up after this many attempts
     */
    public record Settings(List<Path> stagingRoots, Path productsRoot, Set<String> autoPublishTypes,
                           Set<String> qaRequiredTypes, int maxAttempts) {
    }

    /** The outcome of one publish attempt. */
    public record Outcome(String dataId, boolean published, String publishedPath, String error, int attempts) {
        /** The outcome as the API writes it ({@code message} null). */
        public Result result() {
            return result(null);
        }

        public Result result(String message) {
            return new Result(dataId, published ? "published" : "failed", publishedPath, error, attempts, message);
        }
    }

    /** A publish or retry: status published or failed, the error of a failure, attempts so far. */
    public record Result(String dataId, String status, String publishedPath, String error, int publishAttempts,
            String message) {
    }

    private final DataRegistry registry;
    private final Db db;
    private final Settings settings;
    private volatile Transfer transfer = MOVE;

    public Publisher(DataRegistry registry, Settings settings) {
        this.registry = registry;
        this.db = registry.db();
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** For tests: replaces the transfer step. */
    public void transfer(Transfer t) {
        this.transfer = t == null ? MOVE : t;
    }

    /** The products subdirectory of a data type ({@code caltable} → {@code caltables}). */
    static String directoryOf(String type) {
        return switch (type) {
            case "caltable" -> "caltables";
            case "image" -> "images";
            case "mosaic" -> "mosaics";
            case "catalog" -> "catalogs";
            default -> type; // ms, calib_ms, qa, metadata, misc
        };
    }

    /** True when the stored item meets the auto-publish rules now. */
    public boolean readyForAutoPublish(Map<String, Object> row) {
        return Boolean.TRUE.equals(row.get("auto_publish_enabled"))
                && "staging".equals(row.get("status"))
                && "validated".equals(row.get("validation_status"))
                && (!settings.qaRequiredTypes().contains((String) row.get("data_type"))
                        || "passed".equals(row.get("qa_status")))
                && ((Number) row.get("publish_attempts")).intValue() < settings.maxAttempts();
    }

    /** Publishes the item when it meets the auto-publish rules; null when it does not. */
    public Outcome autoPublish(String dataId) {
        Map<String, Object> row = registry.row(dataId).orElse(null);
        return row != null && readyForAutoPublish(row) ? attempt(row) : null;
    }

    /**
     * An operator's publish: any staged (or failed) item that is not invalid, whatever its QA and auto-publish
     * flag. 404 unknown, 409 already published / being published / invalid.
     */
    public Outcome publish(String dataId) {
        Map<String, Object> row = registry.rowOr404(dataId);
        if (!"staging".equals(row.get("status"))) {
            throw HubException.conflict("data product is " + row.get("status") + ", not staged",
                    Map.of("data_id", dataId, "status", row.get("status")));
        }
        if ("invalid".equals(row.get("validation_status"))) {
            throw HubException.conflict("data product failed validation; it cannot be published",
                    Map.of("data_id", dataId, "validation_status", "invalid"));
        }
        return attempt(row);
    }

    /** Retries one failed item (409 when it is not failed). */
    public Outcome retry(String dataId) {
        Map<String, Object> row = registry.rowOr404(dataId);
        if (!"failed".equals(DataRegistry.apiStatus(row))) {
            throw HubException.conflict("data product is " + DataRegistry.apiStatus(row) + ", not failed",
                    Map.of("data_id", dataId, "status", DataRegistry.apiStatus(row)));
        }
        return publish(dataId);
    }

    /** Retries failed items, oldest failure first; {@code maxAttempts} non-null keeps those with fewer attempts. */
    public List<Outcome> retryAll(Integer maxAttempts, int limit) {
        List<Object> args = new ArrayList<>();
        String extra = "";
        if (maxAttempts != null) {
            extra = " AND publish_attempts < ?";
            args.add(maxAttempts);
        }
        args.add(limit);
        List<Outcome> out = new ArrayList<>();
        for (Map<String, Object> r : db.query("SELECT data_id FROM data_registry WHERE " + DataRegistry.FAILED_SQL
                + " AND validation_status <> 'invalid'" + extra + " ORDER BY updated_at, data_id LIMIT ?",
                args.toArray())) {
            try {
                out.add(publish((String) r.get("data_id")));
            } catch (HubException e) {
                LOG.debug("retry of {} skipped: {}", r.get("data_id"), e.getMessage()); // changed meanwhile
            }
        }
        return out;
    }

    /** The scheduled retry: failed items that still meet the auto-publish rules (attempts below the cap). */
    public int retryDue() {
        int n = 0;
        for (Map<String, Object> r : db.query("SELECT data_id FROM data_registry WHERE " + DataRegistry.FAILED_SQL
                + " AND auto_publish_enabled = TRUE AND publish_attempts < ? ORDER BY updated_at LIMIT 100",
                settings.maxAttempts())) {
            Outcome o = autoPublish((String) r.get("data_id"));
            if (o != null && o.published()) {
                n++;
            }
        }
        return n;
    }

    private Outcome attempt(Map<String, Object> row) {
        String dataId = (String) row.get("data_id");
        Instant now = Instant.now();
        if (db.update("UPDATE data_registry SET status = 'publishing', updated_at = ? WHERE data_id = ? "
                + "AND status = 'staging'", now, dataId) != 1) {
            throw HubException.conflict("data product is being published by another request",
                    Map.of("data_id", dataId));
        }
        int attempts = ((Number) row.get("publish_attempts")).intValue() + 1;
        String stagePath = (String) row.get("stage_path");
        Path target = null;
        Path source = null;
        try {
            source = insideStaging(stagePath);
            String expected = (String) row.get("checksum_sha256");
            Checksums.Digest before = Checksums.of(source);
            if (expected != null && !expected.equals(before.sha256())) {
                throw new IOException("staged product changed since registration: SHA-256 " + before.sha256()
                        + ", registered " + expected);
            }
            Path dir = settings.productsRoot().resolve(directoryOf((String) row.get("data_type")));
            Files.createDirectories(dir);
            target = freeName(dir, source.getFileName().toString(), now);
            transfer.move(source, target);
            Checksums.Digest after = Checksums.of(target);
            if (!before.sha256().equals(after.sha256()) || before.sizeBytes() != after.sizeBytes()) {
                Path bad = target;
                target = null;
                if (Files.exists(source)) {
                    Checksums.delete(bad); // the staged original is intact: drop the bad copy
                } else {
                    Files.move(bad, source); // a rename went wrong: put the bytes back for inspection
                }
                throw new IOException("checksum mismatch after the move: SHA-256 " + after.sha256() + " ("
                        + after.sizeBytes() + " bytes), expected " + before.sha256() + " (" + before.sizeBytes()
                        + " bytes)");
            }
            String published = target.toString();
            String staged = source.toString();
            db.inTransaction(() -> {
                db.update("UPDATE data_registry SET status = 'published', published_path = ?, published_at = ?, "
                        + "publish_attempts = ?, publish_error = NULL, updated_at = ? WHERE data_id = ?",
                        published, Instant.now(), attempts, Instant.now(), dataId);
                // Rows elsewhere that name the staged file follow it to its published place.
                db.update("UPDATE images SET path = ? WHERE path = ?", published, staged);
                db.update("UPDATE image_qa SET image_path = ? WHERE image_path = ?", published, staged);
                db.update("UPDATE mosaics SET path = ? WHERE path = ?", published, staged);
                db.update("UPDATE ms_index SET path = ? WHERE path = ?", published, staged);
            });
            LOG.info("published {} to {}", dataId, published);
            return new Outcome(dataId, true, published, null, attempts);
        } catch (IOException | RuntimeException e) {
            String error = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            if (target != null && source != null && Files.exists(source)) {
                try {
                    Checksums.delete(target); // a transfer that failed half way: the name was free before
                } catch (IOException cleanup) {
                    error += " (and the partial copy " + target + " could not be removed: " + cleanup.getMessage() + ")";
                }
            }
            db.update("UPDATE data_registry SET status = 'staging', publish_attempts = ?, publish_error = ?, "
                    + "updated_at = ? WHERE data_id = ?", attempts, truncate(error), Instant.now(), dataId);
            LOG.warn("publish of {} failed (attempt {}): {}", dataId, attempts, error);
            return new Outcome(dataId, false, null, error, attempts);
        }
    }

    /** The staged product's real path, refused (IOException) when it is missing or outside every staging root. */
    Path insideStaging(String stagePath) throws IOException {
        try {
            Path p = Path.of(stagePath).toAbsolutePath().normalize();
            if (!Files.exists(p)) {
                throw new IOException("staged product is missing: " + stagePath);
            }
            Path real = p.toRealPath();
            for (Path root : settings.stagingRoots()) {
                Path r = Files.exists(root) ? root.toRealPath() : root.toAbsolutePath().normalize();
                if (real.startsWith(r) && !real.equals(r)) {
                    return real;
                }
            }
            throw new IOException("staged product is outside the staging roots: " + stagePath);
        } catch (InvalidPathException e) {
            throw new IOException("malformed staged path: " + stagePath);
        }
    }

    /** {@code dir/name}, or with a {@code _<timestamp>} (then a counter) before the extension when taken. */
    static Path freeName(Path dir, String name, Instant now) {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) {
            return p;
        }
        int dot = name.indexOf('.', 1);
        String stem = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        String base = stem + "_" + SUFFIX.format(now);
        p = dir.resolve(base + ext);
        for (int i = 2; Files.exists(p); i++) {
            p = dir.resolve(base + "_" + i + ext);
        }
        return p;
    }

    private static String truncate(String s) {
        return s.length() > 9000 ? s.substring(0, 9000) : s;
    }
}
