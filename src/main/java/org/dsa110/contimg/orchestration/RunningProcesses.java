package org.dsa110.contimg.orchestration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * External processes running on behalf of a task or job, so a cancel (or a timeout) can stop them. Executors
 * register each process under the task id (header {@code taskId}) and, when there is one, under
 * {@link #jobKey(long)}; {@link #cancel(String)} ends the whole process tree (children first).
 */
public final class RunningProcesses {
    private static final Logger LOG = LoggerFactory.getLogger(RunningProcesses.class);
    private static final long GRACE_MILLIS = 3000;

    private final Map<String, List<Process>> byId = new ConcurrentHashMap<>();
    /** Ids cancelled while their run is still in flight: a process registered under one is stopped at once. */
    private final java.util.Set<String> cancelled = ConcurrentHashMap.newKeySet();

    public static String jobKey(long jobId) {
        return "job:" + jobId;
    }

    /**
     * Registers a process under a task or job id. When that id was cancelled while its run was starting (before
     * the process existed), the process is stopped at once: a cancel never misses a process started late.
     */
    public void register(String id, Process process) {
        byId.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(process);
        if (cancelled.contains(id)) {
            cancel(id);
        }
    }

    /**
     * Stops the processes of a run that is in flight and remembers the cancel until {@link #finished(String)}, so
     * a process the run starts afterwards is stopped as soon as it is registered.
     */
    public int cancelRun(String id) {
        cancelled.add(id);
        return cancel(id);
    }

    /** The run of {@code id} is over: forget its cancel mark and any process it left registered. */
    public void finished(String id) {
        cancelled.remove(id);
        byId.remove(id);
    }

    /** Forgets a process that ended by itself. */
    public void unregister(String id, Process process) {
        List<Process> list = byId.get(id);
        if (list != null) {
            list.remove(process);
            if (list.isEmpty()) {
                byId.remove(id, list);
            }
        }
    }

    public List<Process> processes(String id) {
        return List.copyOf(byId.getOrDefault(id, List.of()));
    }

    /**
     * Terminates every process registered under {@code id} with its descendants: a polite destroy first, then a
     * forced one for whatever is still alive after a short grace period. Returns how many processes were found.
     */
    public int cancel(String id) {
        List<Process> list = byId.remove(id);
        if (list == null) {
            return 0;
        }
        // Collect the tree before destroying: once a parent dies its children are re-parented and unreachable.
        List<ProcessHandle> tree = new java.util.ArrayList<>();
        for (Process p : list) {
            p.toHandle().descendants().forEach(tree::add);
            tree.add(p.toHandle());
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + GRACE_MILLIS;
        for (ProcessHandle h : tree) {
            try {
                long left = Math.max(1, deadline - System.currentTimeMillis());
                h.onExit().get(left, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // still alive after the grace period: forced below
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        LOG.info("cancelled {} process(es) of {}", list.size(), id);
        return list.size();
    }

    public int size() {
        return byId.values().stream().mapToInt(List::size).sum();
    }
}
