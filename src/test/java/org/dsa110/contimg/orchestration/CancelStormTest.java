package org.dsa110.contimg.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.store.Db;
import org.junit.jupiter.api.Test;

/**
 * Cancel is final at every moment of a task's life: 500 jobs created and cancelled over HTTP by 64 concurrent
 * clients, the cancel arriving at once or a few milliseconds later (while the task is queued, being claimed, starting
 * its process or running it). Afterwards every job and task is cancelled, no process is left, no request got a
 * 5xx, and the job logs were written concurrently without losing a line's place.
 */
class CancelStormTest {
    static final int CYCLES = 500;
    static final int CLIENTS = 64;

    @Test
    void fiveHundredCreateThenCancelCyclesLeaveNothingRunning() throws Exception {
        TestHub hub = OrchestrationTestHub.get();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> jobs = new ConcurrentLinkedQueue<>();
        List<String> msPaths = new ArrayList<>();
        for (int i = 0; i < CYCLES; i++) { // task inputs must exist under the data roots
            msPaths.add(hub.stagedMs("sleep-storm-" + i + ".ms"));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                go.await();
                for (int i = next.getAndIncrement(); i < CYCLES; i = next.getAndIncrement()) {
                    HttpResponse<String> created = hub.post("/api/jobs/image",
                            Json.write(Map.of("ms_path", msPaths.get(i))));
                    if (created.statusCode() != 201) {
                        errors.add("create " + i + ": " + created.statusCode() + " " + created.body());
                        continue;
                    }
                    long id = Json.MAPPER.readTree(created.body()).get("id").asLong();
                    jobs.add(id);
                    // the cancel lands at different moments of the task's life
                    Thread.sleep(new long[] {0, 0, 3, 15, 60}[i % 5]);
                    HttpResponse<String> cancelled = hub.post("/api/jobs/id/" + id + "/cancel", "");
                    if (cancelled.statusCode() != 200) {
                        errors.add("cancel " + id + ": " + cancelled.statusCode() + " " + cancelled.body());
                    }
                    if (i % 7 == 0) { // a second cancel is answered like the first
                        HttpResponse<String> again = hub.post("/api/jobs/id/" + id + "/cancel", "");
                        if (again.statusCode() != 200) {
                            errors.add("second cancel " + id + ": " + again.statusCode() + " " + again.body());
                        }
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : clients) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertEquals(List.of(), List.copyOf(errors));
        assertEquals(CYCLES, jobs.size());

        Db db = hub.bean("db", Db.class);
        String in = String.join(",", jobs.stream().map(String::valueOf).toList());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Map<String, Object>> unfinished;
        do {
            unfinished = db.query("SELECT j.id, j.status AS job, t.status AS task FROM jobs j JOIN tasks t ON "
                    + "t.task_id = j.task_id WHERE j.id IN (" + in + ") AND (j.status <> 'cancelled' OR "
                    + "t.status <> 'cancelled')");
            if (unfinished.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertEquals(List.of(), unfinished, "jobs or tasks not cancelled");
        RunningProcesses processes = hub.bean("runningProcesses", RunningProcesses.class);
        for (long id : jobs) {
            assertTrue(processes.processes(RunningProcesses.jobKey(id)).stream().noneMatch(Process::isAlive),
                    "job " + id + " left a process");
            JsonNode job = OrchestrationTestHub.getJson("/api/jobs/id/" + id);
            assertEquals("cancelled", job.get("status").asText());
        }
        // every job's log lines have distinct, gap-free sequence numbers
        for (Map<String, Object> r : db.query("SELECT job_id, COUNT(*) AS n, COUNT(DISTINCT seq) AS d, MAX(seq) AS m "
                + "FROM job_log_lines WHERE job_id IN (" + in + ") GROUP BY job_id")) {
            long n = ((Number) r.get("n")).longValue();
            assertEquals(n, ((Number) r.get("d")).longValue(), "duplicate seq in job " + r.get("job_id"));
            assertEquals(n - 1, ((Number) r.get("m")).longValue(), "gap in the log of job " + r.get("job_id"));
        }
        assertTrue(Set.of("cancelled").containsAll(db.query("SELECT DISTINCT status FROM jobs WHERE id IN (" + in
                + ")").stream().map(r -> (String) r.get("status")).toList()));
    }
}
