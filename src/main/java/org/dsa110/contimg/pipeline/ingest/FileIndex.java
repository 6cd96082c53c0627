package org.dsa110.contimg.pipeline.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.StoreException;

/**
 * SQL for {@code hdf5_file_index}: every subband file the poller has looked at, valid or not. An invalid file stays
 * indexed with its error, so the next poll does not report it again unless its size or modification time changed
 * (a file still being written when first seen).
 */
public final class FileIndex {
    /** What the index knows of a path: whether it was valid, and the size and mtime it had then. */
    public record Entry(String path, boolean valid, Long sizeBytes, Instant modifiedAt) {
        /** True when the file on disk differs from what was seen (so an invalid file deserves another look). */
        public boolean changedSince(long size, Instant modified) {
            return sizeBytes == null || sizeBytes != size || modifiedAt == null
                    || Math.abs(modifiedAt.toEpochMilli() - modified.toEpochMilli()) >= 1;
        }
    }

    private static final int IN_CHUNK = 500;
    private final Db db;

    public FileIndex(Db db) {
        this.db = db;
    }

    /** Index entries of the given paths (missing paths are absent from the map). */
    public Map<String, Entry> lookup(List<String> paths) {
        Map<String, Entry> out = new HashMap<>();
        for (int i = 0; i < paths.size(); i += IN_CHUNK) {
            List<String> chunk = paths.subList(i, Math.min(paths.size(), i + IN_CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            for (Map<String, Object> r : db.query("SELECT path, valid, size_bytes, modified_at FROM hdf5_file_index "
                    + "WHERE path IN (" + marks + ")", chunk.toArray())) {
                out.put((String) r.get("path"), new Entry((String) r.get("path"), Boolean.TRUE.equals(r.get("valid")),
                        r.get("size_bytes") == null ? null : ((Number) r.get("size_bytes")).longValue(),
                        (Instant) r.get("modified_at")));
            }
        }
        return out;
    }

    /** Inserts or replaces the entry of {@code path}. */
    public void put(String path, SubbandFileName name, String groupId, Double mjd, long size, Instant modified,
            boolean valid, String error) {
        String filename = java.nio.file.Path.of(path).getFileName().toString();
        Instant now = Instant.now();
        Object[] values = {filename, groupId, name == null ? null : name.subband(),
            name == null ? null : name.timestamp(), mjd, size, modified, now, valid, truncate(error)};
        List<Object> update = new ArrayList<>(Arrays.asList(values));
        update.add(path);
        int n = db.update("UPDATE hdf5_file_index SET filename = ?, group_id = ?, subband = ?, timestamp_iso = ?, "
                + "mjd = ?, size_bytes = ?, modified_at = ?, indexed_at = ?, valid = ?, error = ? WHERE path = ?",
                update.toArray());
        if (n > 0) {
            return;
        }
        List<Object> insert = new ArrayList<>();
        insert.add(path);
        insert.addAll(Arrays.asList(values));
        try {
            db.update("INSERT INTO hdf5_file_index (path, filename, group_id, subband, timestamp_iso, mjd, size_bytes, "
                    + "modified_at, indexed_at, valid, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    insert.toArray());
        } catch (StoreException e) {
            // another poller indexed it at the same moment: update its row instead
            db.update("UPDATE hdf5_file_index SET filename = ?, group_id = ?, subband = ?, timestamp_iso = ?, "
                    + "mjd = ?, size_bytes = ?, modified_at = ?, indexed_at = ?, valid = ?, error = ? WHERE path = ?",
                    update.toArray());
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 4000);
    }
}
