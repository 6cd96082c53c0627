package org.dsa110.contimg.orchestration;

import static org.dsa110.contimg.Beans.bean;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.LifecycleStrategySupport;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring of the orchestration: task catalog and store, this process's task runner and worker registration,
 * jobs, batches, workflows, templates, job logs (with their SSE route) and task metrics. Beans are lazy because
 * they need {@code db} and friends from the hub's own configuration.
 */
@Configuration
public class OrchestrationConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(OrchestrationConfiguration.class);

    @PropertyInject(value = "hub.worker.id", defaultValue = "")
    String workerId;
    @PropertyInject(value = "hub.tasks.max-concurrent", defaultValue = "4")
    int maxConcurrent;
    @PropertyInject(value = "hub.tasks.retry-backoff-seconds", defaultValue = "10")
    long retryBackoffSeconds;
    @PropertyInject(value = "hub.tasks.queues", defaultValue = "")
    String extraQueues;
    @PropertyInject(value = "hub.tasks.endpoints", defaultValue = "")
    String endpointOverrides;
    @PropertyInject(value = "hub.workers.stale-seconds", defaultValue = "60")
    long staleSeconds;
    @PropertyInject(value = "hub.workers.crashed-seconds", defaultValue = "180")
    long crashedSeconds;
    @PropertyInject(value = "hub.batch.max-concurrent", defaultValue = "2")
    int batchMaxConcurrent;
    @PropertyInject(value = "hub.housekeeping.retention-days", defaultValue = "30")
    int retentionDays;

    private TaskCatalog catalog;
    private TaskStore taskStore;
    private WorkerRegistry workers;
    private RunningProcesses processes;
    private StageTasks stageTasks;
    private JobLog jobLog;
    private TaskRunner runner;
    private JobService jobService;
    private BatchService batchService;
    private WorkflowService workflowService;
    private TemplateStore templateStore;
    private TaskMetrics metrics;

    private static void publish(CamelContext context, String type, Object data) {
        EventBroadcaster events = context.getRegistry().lookupByNameAndType("eventBroadcaster", EventBroadcaster.class);
        if (events != null) {
            events.publish(type, data);
        }
    }

    @BindToRegistry(value = "taskCatalog", lazy = true)
    public synchronized TaskCatalog taskCatalog() {
        if (catalog == null) {
            List<String> queues = Arrays.stream(extraQueues.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toList();
            catalog = new TaskCatalog(TaskCatalog.parseOverrides(endpointOverrides), queues);
        }
        return catalog;
    }

    @BindToRegistry(value = "taskStore", lazy = true)
    public synchronized TaskStore taskStore(CamelContext context) {
        if (taskStore == null) {
            taskStore = new TaskStore(bean(context, "db", Db.class));
            taskStore.setLease(bean(context, "leaseTerms", org.dsa110.contimg.store.LeaseTerms.class));
            taskStore.addListener(t -> {
                java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
                data.put("task_id", t.taskId());
                data.put("queue_name", t.queueName());
                data.put("task_name", t.taskName());
                data.put("status", t.status());
                data.put("workflow_id", t.workflowId());
                data.put("error", t.error());
                publish(context, "task_update", data);
            });
        }
        return taskStore;
    }

    @BindToRegistry(value = "workerRegistry", lazy = true)
    public synchronized WorkerRegistry workerRegistry(CamelContext context) {
        if (workers == null) {
            workers = new WorkerRegistry(bean(context, "db", Db.class), taskStore(context),
                    Duration.ofSeconds(staleSeconds), Duration.ofSeconds(crashedSeconds));
        }
        return workers;
    }

    @BindToRegistry(value = "runningProcesses", lazy = true)
    public synchronized RunningProcesses runningProcesses() {
        if (processes == null) {
            processes = new RunningProcesses();
        }
        return processes;
    }

    @BindToRegistry(value = "jobLog", lazy = true)
    public synchronized JobLog jobLog(CamelContext context) {
        if (jobLog == null) {
            jobLog = new JobLog(bean(context, "db", Db.class));
        }
        return jobLog;
    }

    /** Submission-time checks of task parameters (paths inside the data roots, no option-like values). */
    @BindToRegistry(value = "taskInputs", lazy = true)
    public TaskInputs taskInputs(CamelContext context) {
        return new TaskInputs(bean(context, "dataRoots", org.dsa110.contimg.core.DataRoots.class));
    }

    @BindToRegistry(value = "jobService", lazy = true)
    public synchronized JobService jobService(CamelContext context) {
        if (jobService == null) {
            jobService = new JobService(bean(context, "db", Db.class), taskStore(context), jobLog(context),
                    (type, data) -> publish(context, type, data), taskInputs(context));
        }
        return jobService;
    }

    @BindToRegistry(value = "taskRunner", lazy = true)
    public synchronized TaskRunner taskRunner(CamelContext context) {
        if (runner == null) {
            String id = org.dsa110.contimg.HubSettings.workerId(workerId);
            runner = new TaskRunner(context, taskStore(context), taskCatalog(), workerRegistry(context),
                    runningProcesses(), id, maxConcurrent, retryBackoffSeconds);
            JobService jobs = jobService(context);
            runner.setJobOfTask(jobs::jobIdOfTask);
            jobs.setStopRun(runner::stopRun);
            // a new or newly unblocked task, or a finished one (its dependents may be ready): claim at once
            taskStore(context).addListener(t -> {
                if (Task.PENDING.equals(t.status()) || t.finished()) {
                    runner.wake();
                }
            });
        }
        return runner;
    }

    @BindToRegistry(value = "stageTasks", lazy = true)
    public synchronized StageTasks stageTasks(CamelContext context) {
        if (stageTasks == null) {
            stageTasks = new StageTasks(context, bean(context, "db", Db.class),
                    bean(context, "pipelineStore", org.dsa110.contimg.pipeline.PipelineStore.class), jobLog(context),
                    runningProcesses(), taskStore(context), org.dsa110.contimg.HubSettings.workerId(workerId),
                    taskInputs(context));
        }
        return stageTasks;
    }

    @BindToRegistry(value = "batchService", lazy = true)
    public synchronized BatchService batchService(CamelContext context) {
        if (batchService == null) {
            batchService = new BatchService(bean(context, "db", Db.class), jobService(context), batchMaxConcurrent,
                    (type, data) -> publish(context, type, data));
        }
        return batchService;
    }

    @BindToRegistry(value = "workflowService", lazy = true)
    public synchronized WorkflowService workflowService(CamelContext context) {
        if (workflowService == null) {
            workflowService = new WorkflowService(taskStore(context), taskCatalog(), taskInputs(context));
        }
        return workflowService;
    }

    @BindToRegistry(value = "templateStore", lazy = true)
    public synchronized TemplateStore templateStore(CamelContext context) {
        if (templateStore == null) {
            templateStore = new TemplateStore(bean(context, "db", Db.class), taskCatalog(), workflowService(context));
        }
        return templateStore;
    }

    @BindToRegistry(value = "taskMetrics", lazy = true)
    public synchronized TaskMetrics taskMetrics(CamelContext context) {
        if (metrics == null) {
            metrics = new TaskMetrics(bean(context, "db", Db.class), taskStore(context));
            metrics.bind(bean(context, "metricsRegistry", MeterRegistry.class), taskRunner(context));
        }
        return metrics;
    }

    @BindToRegistry(value = "housekeeping", lazy = true)
    public Housekeeping housekeeping(CamelContext context) {
        return new Housekeeping(bean(context, "db", Db.class), workerRegistry(context), retentionDays);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(new Startup(this));
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext ctx) {
                if (runner != null) {
                    runner.stop();
                }
            }
        });
    }

    /** Once the HTTP server runs: seed templates, mount the job-log SSE route, start this worker. */
    private static final class Startup implements ExtendedStartupListener {
        private final OrchestrationConfiguration config;
        private boolean done;

        Startup(OrchestrationConfiguration config) {
            this.config = config;
        }

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            // the platform-http router exists only once the context has fully started
        }

        @Override
        public synchronized void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted)
                throws Exception {
            if (done) {
                return;
            }
            done = true;
            config.templateStore(context).seedStandard();
            config.taskMetrics(context);
            config.taskRunner(context).start();
        }
    }
}
