package org.dsa110.contimg.ops.schedules;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job behind every schedule: runs the schedule named by the job key through the
 * {@link ScheduleService} kept in the scheduler context (not in the job data, so a JDBC job store never has to
 * serialise it). One run of a schedule at a time.
 */
@DisallowConcurrentExecution
public class ScheduleJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleJob.class);
    static final String SERVICE_KEY = "contimg.scheduleService";

    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
        try {
            Object service = ctx.getScheduler().getContext().get(SERVICE_KEY);
            if (service instanceof ScheduleService s) {
                s.runScheduled(ctx.getJobDetail().getKey().getName(), ctx.getNextFireTime());
            } else {
                LOG.warn("schedule {} fired before the schedule service was ready; this run is skipped",
                        ctx.getJobDetail().getKey().getName());
            }
        } catch (SchedulerException e) {
            throw new JobExecutionException(e);
        }
    }
}
