package org.dsa110.contimg.orchestration;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultExchange;
import org.dsa110.contimg.core.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This hub process as a worker of the task queue: claims ready tasks (bounded by {@code maxConcurrent}), sends
 * each to the endpoint the {@link TaskCatalog} names on a bounded pool, and records the outcome (retry with
 * back-off while attempts remain, else failed, which blocks the task's dependents). Also heart-beats for this
 * process and hands back tasks of crashed workers.
 *
 * <p>Message contract for task endpoints: headers {@value #TASK_ID}, {@value #JOB_ID} (when a job owns the task),
 * {@value #TASK_NAME}, {@value #TASK_PARAMS} (JSON object) and {@value #WORKFLOW_ID}; the body is the params'
 * {@code group_id} when present (what stage routes take), else the params JSON. The task's result is the reply
 * body (a JSON-able value); output paths go in header {@value #TASK_ARTIFACTS} (a list) or as {@code artifacts} /
 * {@code outputs} in a map body. An exception on the exchange fails the run.
 */
public final class TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    public static final String TASK_ID = "taskId";
    public static final String JOB_ID = "jobId";
    public static final String TASK_NAME = "taskName";
    public static final String TASK_PARAMS = "taskParams";
    public static final String WORKFLOW_ID = "workflowId";
    public static final String TASK_ARTIFACTS = "taskArtifacts";
    /** The route that runs a task on a stage route ({@link StageTasks}). */
    public static final String STAGE_TASK_ENDPOINT = "direct:task.stage";

    /** A run in flight on this worker. */
    private record InFlight(Task task, Long jobId, Future<?> future, AtomicBoolean timedOut) {
    }

    private final CamelContext camel;
    private final TaskStore store;
    private final TaskCatalog catalog;
    private final WorkerRegistry workers;
    private final RunningProcesses processes;
    private final String workerId;
    private final int maxConcurrent;
    private final long retryBackoffSeconds;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile Function<String, Long> jobOfTask = id -> null;
    private ProducerTemplate producer;
    private ExecutorService pool;
    private ScheduledExecutorService timers;
    private volatile boolean running;

    public TaskRunner(CamelContext camel, TaskStore store, TaskCatalog catalog, WorkerRegistry workers,
            RunningProcesses processes, String workerId, int maxConcurrent, long retryBackoffSeconds) {
        this.camel = camel;
        this.store = store;
        this.catalog = catalog;
        this.workers = workers;
        this.processes = processes;
        this.workerId = workerId;
        this.maxConcurrent = Math.max(1, maxConcurrent);
        this.retryBackoffSeconds = Math.max(0, retryBackoffSeconds);
    }

    /** How the runner finds the job owning a task (for the {@code jobId} header). */
    public void setJobOfTask(Function<String, Long> jobOfTask) {
        this.jobOfTask = jobOfTask;
    }

    public String workerId() {
        return workerId;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    public boolean isRunning() {
        return running;
    }

    public Set<String> inFlightTaskIds() {
        return Set.copyOf(inFlight.keySet());
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        producer = camel.createProducerTemplate();
        pool = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "task-runner"));
        timers = java.util.concurrent.Executors.newScheduledThreadPool(1, r -> daemon(r, "task-runner-timer"));
        ProcessHandle self = ProcessHandle.current();
        workers.started(workerId, hostname(), self.pid());
        running = true;
        LOG.info("task runner {} started (at most {} tasks at once)", workerId, maxConcurrent);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Asks for a claim round soon (after a task was added or finished) without waiting for the timer. */
    public void wake() {
        if (running && wakeQueued.compareAndSet(false, true)) {
            timers.execute(() -> {
                wakeQueued.set(false);
                poll();
            });
        }
    }

    /** One claim round (the timer route calls this): promote due retries, claim what fits, start the runs. */
    public synchronized int poll() {
        if (!running) {
            return 0;
        }
        try {
            store.promoteRetrying();
            int free = maxConcurrent - inFlight.size();
            List<Task> claimed = store.claim(workerId, free);
            for (Task t : claimed) {
                AtomicBoolean timedOut = new AtomicBoolean();
                // registered before the run starts so a fast run's removal cannot precede its registration
                CompletableHolder holder = new CompletableHolder();
                Long jobId = jobOfTask.apply(t.taskId());
                inFlight.put(t.taskId(), new InFlight(t, jobId, holder, timedOut));
                holder.delegate = pool.submit(() -> execute(t, jobId, timedOut));
            }
            return claimed.size();
        } catch (RuntimeException e) {
            LOG.warn("task claim round failed: {}", e.getMessage());
            return 0;
        }
    }

    private void execute(Task task, Long jobId, AtomicBoolean timedOut) {
        ScheduledFuture<?> watchdog = null;
        try {
            if (!store.markRunning(task.taskId(), workerId)) {
                return;
            }
            heartbeat();
            if (task.timeoutSec() != null && task.timeoutSec() > 0) {
                watchdog = timers.schedule(() -> timeOut(task, timedOut), task.timeoutSec(), TimeUnit.SECONDS);
            }
            Exchange result = send(task, jobId);
            if (timedOut.get()) {
                finishFailed(task, "timed out after " + task.timeoutSec() + " s");
            } else if (result.getException() != null) {
                Throwable e = result.getException();
                finishFailed(task, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            } else if (store.complete(task.taskId(), task, resultOf(result))) {
                workers.recordOutcome(workerId, true);
            }
        } catch (RuntimeException e) {
            finishFailed(task, timedOut.get() ? "timed out after " + task.timeoutSec() + " s"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            inFlight.remove(task.taskId());
            processes.finished(task.taskId());
            if (jobId != null) {
                processes.finished(RunningProcesses.jobKey(jobId));
            }
            Thread.interrupted(); // a cancel may have interrupted this pool thread; do not leak the flag
            heartbeat();
            wake();
        }
    }

    private Exchange send(Task task, Long jobId) {
        TaskCatalog.TaskDefinition def = catalog.find(task.taskName()).orElse(null);
        Exchange ex = new DefaultExchange(camel);
        if (def == null) {
            ex.setException(new IllegalStateException("unknown task name '" + task.taskName() + "'"));
            return ex;
        }
        Endpoint endpoint = camel.getEndpoint(def.endpointUri());
        if (endpoint == null || !hasConsumer(endpoint)) {
            ex.setException(new IllegalStateException("no route consumes " + def.endpointUri() + " (task '"
                    + task.taskName() + "'): the stage engine is not wired for it"));
            return ex;
        }
        if (def.endpointUri().startsWith(StageTasks.STAGE_PREFIX)) {
            // a stage route needs an execution, inputs and a log: the adapter route gives it those
            ex.setProperty(StageTasks.STAGE_ENDPOINT, def.endpointUri());
            endpoint = camel.getEndpoint(STAGE_TASK_ENDPOINT);
        }
        ex.getMessage().setHeader(TASK_ID, task.taskId());
        ex.getMessage().setHeader(TASK_NAME, task.taskName());
        ex.getMessage().setHeader(TASK_PARAMS, Json.write(task.params()));
        if (jobId != null) {
            ex.getMessage().setHeader(JOB_ID, jobId);
        }
        if (task.workflowId() != null) {
            ex.getMessage().setHeader(WORKFLOW_ID, task.workflowId());
        }
        Object groupId = task.params().get("group_id");
        ex.getMessage().setBody(groupId != null ? groupId.toString() : Json.write(task.params()));
        return producer.send(endpoint, ex);
    }

    /** True when a started route consumes from the endpoint (a direct: endpoint without one would block). */
    private boolean hasConsumer(Endpoint endpoint) {
        String uri = endpoint.getEndpointUri();
        for (Route r : camel.getRoutes()) {
            if (r.getEndpoint() != null && uri.equals(r.getEndpoint().getEndpointUri())) {
                return camel.getRouteController().getRouteStatus(r.getRouteId()).isStarted();
            }
        }
        return !uri.startsWith("direct:") && !uri.startsWith("seda:");
    }

    static Object resultOf(Exchange ex) {
        Object body = ex.getMessage().getBody();
        Object artifacts = ex.getMessage().getHeader(TASK_ARTIFACTS);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (body instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else if (body instanceof Collection<?> || body instanceof Number || body instanceof Boolean) {
            out.put("output", body);
        } else if (body != null) {
            out.put("output", ex.getMessage().getBody(String.class));
        }
        if (artifacts instanceof Collection<?> c) {
            out.put("artifacts", c.stream().map(String::valueOf).toList());
        }
        return out;
    }

    private void finishFailed(Task task, String error) {
        String status = store.fail(task.taskId(), task, error, retryBackoffSeconds);
        if (status != null) {
            if (Task.FAILED.equals(status)) {
                workers.recordOutcome(workerId, false);
            }
            LOG.info("task {} ({}) {}: {}", task.taskId(), task.taskName(), status, error);
        }
    }

    private void timeOut(Task task, AtomicBoolean timedOut) {
        timedOut.set(true);
        stopRun(task.taskId());
    }

    /** Stops this worker's run of a task (after the store marked it cancelled): its processes, then its thread. */
    public void stopRun(String taskId) {
        InFlight f = inFlight.get(taskId);
        if (f == null) {
            processes.cancel(taskId); // not running here: only what may still be registered
            return;
        }
        processes.cancelRun(taskId);
        if (f.jobId() != null) {
            processes.cancelRun(RunningProcesses.jobKey(f.jobId()));
        }
        f.future().cancel(true);
    }

    /** Heartbeat of this process, and hand-back of tasks held by crashed workers (the heartbeat timer). */
    public void heartbeat() {
        if (!running) {
            return;
        }
        try {
            String current = inFlight.keySet().stream().findFirst().orElse(null);
            workers.heartbeat(workerId, current, null, null);
        } catch (RuntimeException e) {
            LOG.warn("worker heartbeat failed: {}", e.getMessage());
        }
    }

    public void reap() {
        if (running && !workers.reapCrashed().isEmpty()) {
            wake();
        }
    }

    /** Graceful stop: running tasks are interrupted and handed back to the queue without counting the run. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            // hand back first, so the interrupted runs below find nothing to mark failed
            for (String taskId : store.heldBy(workerId)) {
                store.release(taskId, workerId);
            }
            workers.stopped(workerId);
        } catch (RuntimeException e) {
            LOG.warn("could not hand back tasks of {}: {}", workerId, e.getMessage());
        }
        for (String taskId : inFlight.keySet()) {
            processes.cancel(taskId);
        }
        pool.shutdownNow();
        timers.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            producer.close();
        } catch (java.io.IOException e) {
            LOG.debug("producer close: {}", e.getMessage());
        }
    }

    static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** A Future whose delegate is set just after submission (so the run is registered before it starts). */
    private static final class CompletableHolder implements Future<Object> {
        volatile Future<?> delegate;

        @Override
        public boolean cancel(boolean interrupt) {
            Future<?> d = delegate;
            return d != null && d.cancel(interrupt);
        }

        @Override
        public boolean isCancelled() {
            return delegate != null && delegate.isCancelled();
        }

        @Override
        public boolean isDone() {
            return delegate != null && delegate.isDone();
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
