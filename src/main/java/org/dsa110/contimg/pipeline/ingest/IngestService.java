package org.dsa110.contimg.pipeline.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.store.GroupStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.LinkOption;

/**
 * Turns subband files in the incoming directory into recorded files and groups (science.md, "Ingest and
 * grouping"): validate, index, join the nearest collecting/pending group within ±60 s or start one, and move a
 * group to pending once all its subbands are present. Files that fail are left in place and become DLQ items. A
 * file whose group has already left collecting/pending is a late file ({@link LateFiles}): listed on the group,
 * logged once, not a new group.
 */
public final class IngestService {
    /** DLQ error types of symbolic links the ingest refuses. */
    public static final String DANGLING_SYMLINK = "dangling_symlink";
    public static final String SYMLINK_OUTSIDE_INCOMING = "symlink_outside_incoming";
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    /** Files of one ~5-minute scan carry start times within a few seconds; ±60 s joins them (science.md). */
    public static final Duration JOIN_WINDOW = Duration.ofSeconds(60);

    /** What happened to one file. */
    public enum Result { RECORDED, DUPLICATE, INVALID, REJECTED, IGNORED, LATE }

    public record Outcome(Result result, String path, String groupId, String reason) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("result", result.name().toLowerCase());
            m.put("path", path);
            m.put("group_id", groupId);
            m.put("reason", reason);
            return m;
        }
    }

    private final Db db;
    private final GroupStore groups;
    private final FileIndex index;
    private final GroupStates states;
    private final IngestDeadLetters deadLetters;
    private final GroupEvents events;
    private final LateFiles lateFiles;
    private final Supplier<StreamingConfig> config;
    private final long settleMillis;

    private final AtomicLong filesSeen = new AtomicLong();
    private final AtomicLong filesRecorded = new AtomicLong();
    private final AtomicLong filesInvalid = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong filesLate = new AtomicLong();
    private final AtomicLong pollErrors = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private volatile Instant lastPollAt;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public IngestService(Db db, GroupStore groups, FileIndex index, IngestDeadLetters deadLetters, GroupEvents events,
            Supplier<StreamingConfig> config, long settleMillis) {
        this.db = db;
        this.groups = groups;
        this.index = index;
        this.states = new GroupStates(db);
        this.deadLetters = deadLetters;
        this.events = events;
        this.lateFiles = new LateFiles(db, events);
        this.config = config;
        this.settleMillis = settleMillis;
    }

    /** One poll of the input directory: every new (or changed, previously invalid) subband file is recorded. */
    public int pollOnce() {
        StreamingConfig cfg = config.get();
        Path dir = Path.of(cfg.inputDir()).toAbsolutePath().normalize();
        polls.incrementAndGet();
        if (!Files.isDirectory(dir)) {
            fail("input_dir is not a directory: " + dir);
            lastPollAt = Instant.now();
            return 0;
        }
        List<Path> candidates;
        try (Stream<Path> s = Files.list(dir)) {
            candidates = s.filter(p -> SubbandFileName.matches(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            fail("cannot list " + dir + ": " + e.getMessage());
            lastPollAt = Instant.now();
            return 0;
        }
        Map<String, FileIndex.Entry> known = index.lookup(candidates.stream().map(Path::toString).toList());
        Instant settledBefore = Instant.now().minusMillis(settleMillis);
        int recorded = 0;
        for (Path p : candidates) {
            try {
                // a link is judged by the link itself (a dangling one has no target to measure)
                BasicFileAttributes own = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean usable = !own.isSymbolicLink() || linkProblem(p) == null;
                long size = usable ? Files.size(p) : own.size();
                Instant modified = (usable ? Files.getLastModifiedTime(p) : own.lastModifiedTime()).toInstant();
                if (settleMillis > 0 && modified.isAfter(settledBefore)) {
                    continue; // possibly still being written: look again next poll
                }
                FileIndex.Entry entry = known.get(p.toString());
                if (entry != null && (entry.valid() || !entry.changedSince(size, modified))) {
                    continue;
                }
                filesSeen.incrementAndGet();
                if (recordFile(p).result() == Result.RECORDED) {
                    recorded++;
                }
            } catch (IOException | RuntimeException e) {
                // one bad file must not stop the poll; it is retried next time
                fail("recording " + p + " failed: " + e.getMessage());
                LOG.warn("recording {} failed", p, e);
            }
        }
        lastPollAt = Instant.now();
        return recorded;
    }

    /** Validates and records one file (the poller, and the DLQ resubmit target {@code direct:ingest.file}). */
    public Outcome recordFile(Path file) {
        Path path = file.toAbsolutePath().normalize();
        String p = path.toString();
        SubbandFileName name = SubbandFileName.parse(path.getFileName().toString()).orElse(null);
        if (name == null) {
            return new Outcome(Result.IGNORED, p, null, "not a subband file name (YYYY-MM-DDTHH:MM:SS_sbNN.hdf5)");
        }
        String link = linkProblem(path);
        if (link != null) {
            // dead-lettered once (the index remembers it until the link changes), never followed
            BasicFileAttributes own = linkAttributes(path);
            return reject(p, name, link, link.equals(DANGLING_SYMLINK) ? "symbolic link to nothing"
                    : "symbolic link to a file outside the incoming directory", own == null ? 0 : own.size(),
                    own == null ? Instant.EPOCH : own.lastModifiedTime().toInstant());
        }
        if (groups.hasPath(p) || lateFiles.hasPath(p)) {
            duplicates.incrementAndGet();
            return new Outcome(Result.DUPLICATE, p, null, "already recorded");
        }
        StreamingConfig cfg = config.get();
        Instant modified = modifiedTime(path);
        if (name.subband() >= cfg.expectedSubbands()) {
            return reject(p, name, "invalid_file", "subband " + name.subband() + " is outside 0.."
                    + (cfg.expectedSubbands() - 1), sizeOf(path), modified);
        }
        Uvh5Validator.Result v = Uvh5Validator.validate(path);
        if (!v.valid()) {
            // indexed with its size on disk (a directory's too), so the next poll sees it unchanged and leaves it
            return reject(p, name, "invalid_file", v.reason(), sizeOf(path), modified);
        }
        List<Runnable> published = new ArrayList<>();
        Outcome outcome = db.inTransaction(() -> {
            // Hubs sharing a database poll the same incoming directory: the join-or-create of a group is serialised
            // across them on the streaming configuration's row, or two hubs recording files of one observation at
            // once would each start a group for it (or both add the same file).
            db.one("SELECT id FROM streaming_config WHERE id = 1 FOR UPDATE");
            if (groups.hasPath(p) || lateFiles.hasPath(p)) {
                return new Outcome(Result.DUPLICATE, p, null, "already recorded");
            }
            return record(p, name, v, modified, cfg, published);
        });
        if (outcome.result() == Result.DUPLICATE) {
            duplicates.incrementAndGet();
            return outcome;
        }
        if (outcome.result() == Result.LATE) {
            filesLate.incrementAndGet();
            deadLetters.resolveFile(p, "listed as a late file of group " + outcome.groupId());
            published.forEach(Runnable::run);
            return outcome;
        }
        if (outcome.result() == Result.REJECTED) {
            return reject(p, name, "duplicate_subband", outcome.reason(), v.sizeBytes(), modified);
        }
        filesRecorded.incrementAndGet();
        deadLetters.resolveFile(p, "recorded in group " + outcome.groupId());
        published.forEach(Runnable::run);
        return outcome;
    }

    private Outcome record(String p, SubbandFileName name, Uvh5Validator.Result v, Instant modified,
            StreamingConfig cfg, List<Runnable> published) {
        String groupId = groups.nearestOpenGroup(name.time(), JOIN_WINDOW).orElse(null);
        if (groupId == null) {
            // no open group: a file of a group that already left collecting/pending is late, not a new group
            LateFiles.ClosedGroup closed = lateFiles.closedGroupNear(name.time(), JOIN_WINDOW).orElse(null);
            if (closed != null && !groups.hasSubband(closed.groupId(), name.subband())) {
                published.add(lateFiles.record(closed, name, p, v.sizeBytes()));
                index.put(p, name, closed.groupId(), v.firstMjd(), v.sizeBytes(), modified, true, null);
                return new Outcome(Result.LATE, p, closed.groupId(), "late file: group " + closed.groupId() + " is "
                        + closed.state());
            }
            if (closed != null) {
                return new Outcome(Result.REJECTED, p, closed.groupId(), String.format("duplicate subband: group %s "
                        + "(%s) already has sb%02d", closed.groupId(), closed.state(), name.subband()));
            }
            groupId = name.timestamp();
            groups.createGroup(groupId, name.time(), cfg.expectedSubbands());
            String created = groupId;
            published.add(() -> events.stateChanged(created, null, GroupStates.COLLECTING,
                    Map.of("expected_subbands", cfg.expectedSubbands())));
        }
        if (groups.hasSubband(groupId, name.subband())) {
            return new Outcome(Result.REJECTED, p, groupId,
                    String.format("duplicate subband: group %s already has sb%02d", groupId, name.subband()));
        }
        int present = groups.addFile(groupId, name, p, v.sizeBytes(), v.pointingDecDeg());
        index.put(p, name, groupId, v.firstMjd(), v.sizeBytes(), modified, true, null);
        int expected = groups.expectedSubbands(groupId);
        String g = groupId;
        published.add(() -> events.fileIngested(g, p, name.subband(), present, expected));
        if (present >= expected && states.transition(groupId, GroupStates.COLLECTING, GroupStates.PENDING, null)) {
            published.add(() -> events.stateChanged(g, GroupStates.COLLECTING, GroupStates.PENDING,
                    Map.of("subbands_present", present, "expected_subbands", expected)));
        }
        return new Outcome(Result.RECORDED, p, groupId, null);
    }

    /**
     * The resubmit target's work ({@code direct:ingest.file}, body = path): records the file or throws with the
     * reason, so a retry that fails again is reported as failed.
     */
    public Map<String, Object> recordOrFail(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("no file path in the message body");
        }
        Outcome o = recordFile(Path.of(path.trim()));
        if (o.result() != Result.RECORDED && o.result() != Result.DUPLICATE && o.result() != Result.LATE) {
            throw new IllegalStateException("file not recorded: " + o.reason());
        }
        return o.toMap();
    }

    /**
     * Why a symbolic link in the incoming directory cannot be ingested: {@value #DANGLING_SYMLINK} (it points to
     * nothing) or {@value #SYMLINK_OUTSIDE_INCOMING} (its target, links followed, lies outside the incoming
     * directory, so a link could otherwise feed any file the hub can read into the pipeline); null for a regular
     * file or a link within the incoming directory.
     */
    String linkProblem(Path file) {
        if (!Files.isSymbolicLink(file)) {
            return null;
        }
        Path target;
        try {
            target = file.toRealPath();
        } catch (IOException e) {
            return DANGLING_SYMLINK;
        }
        try {
            Path incoming = Path.of(config.get().inputDir()).toRealPath();
            return target.startsWith(incoming) ? null : SYMLINK_OUTSIDE_INCOMING;
        } catch (IOException e) {
            return SYMLINK_OUTSIDE_INCOMING;
        }
    }

    /** The link's own size and time (what the poll compares to see whether it changed). */
    private static BasicFileAttributes linkAttributes(Path link) {
        try {
            return Files.readAttributes(link, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    /** Indexes a file that cannot be recorded with its reason and records a DLQ item (once while it is open). */
    private Outcome reject(String p, SubbandFileName name, String errorType, String reason, long size,
            Instant modified) {
        filesInvalid.incrementAndGet();
        index.put(p, name, null, null, size, modified == null ? Instant.EPOCH : modified, false, reason);
        events.ingestError(p, errorType, reason);
        if (!deadLetters.hasOpenItemFor(p)) {
            deadLetters.fileFailed(p, errorType, reason);
            LOG.warn("ingest: {} not recorded ({}): {}; dead-lettered", p, errorType, reason);
        } else {
            // logged once, when it was dead-lettered; its open DLQ item says the rest
            LOG.debug("ingest: {} still not recorded ({}): {}", p, errorType, reason);
        }
        return new Outcome(errorType.equals("invalid_file") ? Result.INVALID : Result.REJECTED, p, null, reason);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Instant modifiedTime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private void fail(String message) {
        pollErrors.incrementAndGet();
        lastError = message;
        lastErrorAt = Instant.now();
        LOG.warn("ingest poll: {}", message);
    }

    /**
     * The ingest counters since this process started, written inline in /api/streaming/status and /metrics:
     * {@code errors} counts failed polls and invalid files together, {@code poll_errors} the polls alone.
     */
    public record IngestCounters(long polls, long filesSeen, long filesRecorded, long filesInvalid,
            long duplicatesIgnored, long lateFiles, long errors, long pollErrors, Instant lastPoll, String lastError,
            Instant lastErrorAt) {
    }

    /** Counters since this process started (StreamingStatus / metrics). */
    public IngestCounters stats() {
        return new IngestCounters(polls.get(), filesSeen.get(), filesRecorded.get(), filesInvalid.get(),
                duplicates.get(), filesLate.get(), pollErrors.get() + filesInvalid.get(), pollErrors.get(), lastPollAt,
                lastError, lastErrorAt);
    }

    public Instant lastPollAt() {
        return lastPollAt;
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastErrorAt() {
        return lastErrorAt;
    }
}
