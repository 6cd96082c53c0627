package org.dsa110.contimg.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.orchestration.JobLog;
import org.dsa110.contimg.orchestration.JobService;

/**
 * {@code GET /api/jobs/id/{job_id}/logs} as Server-Sent Events: the stored lines first (from {@code from_seq} or
 * the {@code Last-Event-ID} header, so a reconnecting client resumes), then each new line as the job writes it,
 * then an {@code end} event with the final status, after which the stream closes. A finished job's stream is its
 * full log and the end event. Events: {@code log} with {@code {seq, stream, line, ts}}, id = seq.
 */
public final class JobLogSse {
    public static final String PATH = "/api/jobs/id/:job_id/logs";
    static final long KEEPALIVE_MILLIS = 15_000;

    private final JobService jobs;
    private final JobLog log;

    public JobLogSse(JobService jobs, JobLog log) {
        this.jobs = jobs;
        this.log = log;
    }

    public void install(Router router, Vertx vertx) {
        router.get(PATH).order(-1000).handler(ctx -> handle(ctx, vertx));
    }

    private void handle(RoutingContext ctx, Vertx vertx) {
        String raw = ctx.pathParam("job_id");
        long jobId;
        int fromSeq;
        try {
            jobId = Long.parseLong(raw);
            String from = ctx.request().getParam("from_seq");
            String last = ctx.request().getHeader("Last-Event-ID");
            fromSeq = from != null ? Integer.parseInt(from) : last != null ? Integer.parseInt(last.trim()) + 1 : 0;
        } catch (NumberFormatException e) {
            error(ctx, 400, "INVALID_PARAMETER", "invalid parameter 'job_id' or 'from_seq': an integer",
                    Map.of("parameter", "job_id"));
            return;
        }
        Context context = vertx.getOrCreateContext();
        vertx.executeBlocking(() -> jobs.row(jobId), false).onComplete(ar -> {
            if (ar.failed()) {
                error(ctx, 503, "SERVICE_UNAVAILABLE", "job store unavailable", Map.of());
            } else if (ar.result().isEmpty()) {
                error(ctx, 404, "NOT_FOUND", "job not found: " + jobId, Map.of("resource", "job", "id", raw));
            } else {
                new Stream(ctx.response(), context, vertx, jobId, fromSeq).open();
            }
        });
    }

    private static void error(RoutingContext ctx, int status, String code, String message, Map<String, Object> d) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(ErrorBody.json(message, code, d));
        }
    }

    /** One client's stream. Everything below runs on the request's Vert.x context, so no locking is needed. */
    private final class Stream implements JobLog.Listener {
        private final HttpServerResponse res;
        private final Context context;
        private final Vertx vertx;
        private final long jobId;
        private int nextSeq;
        private boolean replayed;
        private final List<JobLog.Line> pending = new ArrayList<>();
        private String pendingEnd;
        private long keepalive = -1;

        Stream(HttpServerResponse res, Context context, Vertx vertx, long jobId, int fromSeq) {
            this.res = res;
            this.context = context;
            this.vertx = vertx;
            this.jobId = jobId;
            this.nextSeq = Math.max(0, fromSeq);
        }

        void open() {
            res.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
            res.write("retry: 3000\n\n");
            // listen before reading the store, so no line falls between replay and live
            log.addListener(jobId, this);
            res.closeHandler(v -> close());
            keepalive = vertx.setPeriodic(KEEPALIVE_MILLIS, id -> {
                if (!res.ended() && !res.closed()) {
                    res.write(": keepalive\n\n");
                }
            });
            int from = nextSeq;
            vertx.executeBlocking(() -> new Replay(log.lines(jobId, from),
                    jobs.row(jobId).map(r -> (String) r.get("status"))), false).onComplete(ar -> {
                        if (ar.failed()) {
                            close();
                            res.end();
                            return;
                        }
                        ar.result().lines().forEach(this::send);
                        replayed = true;
                        pending.forEach(this::send);
                        pending.clear();
                        Optional<String> status = ar.result().status();
                        if (pendingEnd != null) {
                            end(pendingEnd);
                        } else if (status.isPresent() && JobService.FINAL.contains(status.get())) {
                            end(status.get());
                        }
                    });
        }

        @Override
        public void line(JobLog.Line line) {
            context.runOnContext(v -> {
                if (replayed) {
                    send(line);
                } else {
                    pending.add(line);
                }
            });
        }

        @Override
        public void finished(String status) {
            context.runOnContext(v -> {
                if (replayed) {
                    // lines of the last moments may still be in flight through the store: read what is there
                    vertx.executeBlocking(() -> log.lines(jobId, nextSeq), false).onComplete(ar -> {
                        if (ar.succeeded()) {
                            ar.result().forEach(this::send);
                        }
                        end(status);
                    });
                } else {
                    pendingEnd = status;
                }
            });
        }

        private void send(JobLog.Line l) {
            if (l.seq() < nextSeq || res.ended() || res.closed()) {
                return;
            }
            nextSeq = l.seq() + 1;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("seq", l.seq());
            data.put("stream", l.stream());
            data.put("line", l.line());
            data.put("ts", l.ts());
            res.write("id: " + l.seq() + "\nevent: log\ndata: " + Json.write(data) + "\n\n");
        }

        private void end(String status) {
            if (res.ended() || res.closed()) {
                close();
                return;
            }
            res.write("event: end\ndata: " + Json.write(Map.of("job_id", jobId, "status", status)) + "\n\n");
            close();
            res.end();
        }

        private void close() {
            log.removeListener(jobId, this);
            if (keepalive >= 0) {
                vertx.cancelTimer(keepalive);
                keepalive = -1;
            }
        }
    }

    private record Replay(List<JobLog.Line> lines, Optional<String> status) {
    }
}
