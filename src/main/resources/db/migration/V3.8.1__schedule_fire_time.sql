-- The scheduled fire times (Quartz's scheduledFireTime, not the clock at run time) that a schedule has run: a run
-- first inserts its fire time here, so one fire time runs once across the hubs of a cluster, whatever fires twice
-- (two schedulers racing, a re-fire after a fail-over), in whatever order the runs start. Rows older than a day are
-- pruned as new ones arrive.
CREATE TABLE schedule_fires (
    name       VARCHAR(128)             NOT NULL,
    fire_time  TIMESTAMP WITH TIME ZONE NOT NULL,
    run_at     TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT pk_schedule_fires PRIMARY KEY (name, fire_time)
);
