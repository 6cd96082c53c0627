-- Orchestration: the task queue (tasks, dependencies, workflows, templates, schedules, workers)
-- and the dashboard's jobs and batch jobs, with job logs one line per row.

CREATE TABLE workflow_templates (
    template_name   VARCHAR(128)  NOT NULL PRIMARY KEY,
    description     VARCHAR(4000),
    steps           VARCHAR(100000) NOT NULL,                     -- JSON array of step definitions
    default_params  VARCHAR(100000),                              -- JSON object
    builtin         BOOLEAN       DEFAULT FALSE NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

-- template_name is a copy, not a FK: a workflow's history survives deleting its template.
CREATE TABLE workflows (
    workflow_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    name           VARCHAR(255)  NOT NULL,
    template_name  VARCHAR(128),
    status         VARCHAR(16)   DEFAULT 'pending' NOT NULL,
    params         VARCHAR(100000),                               -- JSON object
    error          VARCHAR(10000),
    created_at     TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    completed_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ck_workflows_status
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled'))
);
CREATE INDEX ix_workflows_status ON workflows (status, created_at);
CREATE INDEX ix_workflows_created ON workflows (created_at);

-- wait_time_sec = started_at - created_at and exec_time_sec = completed_at - started_at are derived.
CREATE TABLE tasks (
    task_id       VARCHAR(36)   NOT NULL PRIMARY KEY,             -- UUID text
    queue_name    VARCHAR(64)   DEFAULT 'dsa110-pipeline' NOT NULL,
    task_name     VARCHAR(128)  NOT NULL,                         -- names the stage route to run
    params        VARCHAR(100000) DEFAULT '{}' NOT NULL,          -- JSON object
    priority      INTEGER       DEFAULT 5 NOT NULL,               -- higher runs first
    status        VARCHAR(16)   DEFAULT 'pending' NOT NULL,
    attempt       INTEGER       DEFAULT 0 NOT NULL,
    max_retries   INTEGER       DEFAULT 3 NOT NULL,
    timeout_sec   INTEGER,
    not_before    TIMESTAMP WITH TIME ZONE,                       -- retry back-off: not claimable before this
    workflow_id   VARCHAR(64)   REFERENCES workflows (workflow_id) ON DELETE CASCADE,
    worker_id     VARCHAR(128),                                   -- not a FK: worker rows are pruned
    result        VARCHAR(100000),                                -- JSON
    error         VARCHAR(10000),
    created_at    TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    claimed_at    TIMESTAMP WITH TIME ZONE,
    started_at    TIMESTAMP WITH TIME ZONE,
    completed_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ck_tasks_status CHECK (status IN
        ('pending', 'claimed', 'running', 'completed', 'failed', 'cancelled', 'retrying', 'blocked')),
    CONSTRAINT ck_tasks_attempt CHECK (attempt >= 0 AND max_retries >= 0)
);
-- The claim query: WHERE status = 'pending' ORDER BY priority DESC, created_at.
CREATE INDEX ix_tasks_claim ON tasks (status, priority DESC, created_at);
CREATE INDEX ix_tasks_queue ON tasks (queue_name, status);
CREATE INDEX ix_tasks_workflow ON tasks (workflow_id);
CREATE INDEX ix_tasks_created ON tasks (created_at);
CREATE INDEX ix_tasks_completed ON tasks (completed_at);

-- task_id runs only after depends_on_task_id completed.
CREATE TABLE task_dependencies (
    task_id             VARCHAR(36) NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    depends_on_task_id  VARCHAR(36) NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    CONSTRAINT pk_task_dependencies PRIMARY KEY (task_id, depends_on_task_id),
    CONSTRAINT ck_task_dependencies_self CHECK (task_id <> depends_on_task_id)
);
CREATE INDEX ix_task_dependencies_upstream ON task_dependencies (depends_on_task_id);

CREATE TABLE schedules (
    name             VARCHAR(128)  NOT NULL PRIMARY KEY,
    task_name        VARCHAR(128)  NOT NULL,
    queue_name       VARCHAR(64)   DEFAULT 'dsa110-pipeline' NOT NULL,
    cron_expression  VARCHAR(128)  NOT NULL,                      -- Quartz cron syntax
    timezone         VARCHAR(64)   DEFAULT 'UTC' NOT NULL,
    params           VARCHAR(100000) DEFAULT '{}' NOT NULL,       -- JSON object
    priority         INTEGER       DEFAULT 5 NOT NULL,
    state            VARCHAR(16)   DEFAULT 'active' NOT NULL,
    description      VARCHAR(4000),
    next_run_at      TIMESTAMP WITH TIME ZONE,
    last_run_at      TIMESTAMP WITH TIME ZONE,
    last_task_id     VARCHAR(36),                                 -- not a FK: old tasks are pruned
    run_count        BIGINT        DEFAULT 0 NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT ck_schedules_state CHECK (state IN ('active', 'paused', 'disabled'))
);
CREATE INDEX ix_schedules_due ON schedules (state, next_run_at);

CREATE TABLE workers (
    worker_id        VARCHAR(128)  NOT NULL PRIMARY KEY,
    hostname         VARCHAR(255),
    pid              BIGINT,
    queue_name       VARCHAR(64),
    state            VARCHAR(16)   DEFAULT 'idle' NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_heartbeat   TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    current_task_id  VARCHAR(36),
    tasks_completed  BIGINT        DEFAULT 0 NOT NULL,
    tasks_failed     BIGINT        DEFAULT 0 NOT NULL,
    CONSTRAINT ck_workers_state CHECK (state IN ('idle', 'busy', 'stale', 'stopped'))
);
CREATE INDEX ix_workers_heartbeat ON workers (last_heartbeat);

-- BatchJob. Counters are maintained by the batch runner as its items finish.
CREATE TABLE batch_jobs (
    id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    type             VARCHAR(32)   NOT NULL,                      -- calibrate | apply | image | convert | publish | photometry | ese-detect
    status           VARCHAR(16)   DEFAULT 'pending' NOT NULL,
    params           VARCHAR(100000) DEFAULT '{}' NOT NULL,       -- JSON: the request params
    total_items      INTEGER       DEFAULT 0 NOT NULL,
    completed_items  INTEGER       DEFAULT 0 NOT NULL,
    failed_items     INTEGER       DEFAULT 0 NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ck_batch_jobs_status CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled'))
);
CREATE INDEX ix_batch_jobs_status ON batch_jobs (status, created_at);
CREATE INDEX ix_batch_jobs_created ON batch_jobs (created_at);

-- Job. Its logs live in job_log_lines; Job.logs is their concatenation.
CREATE TABLE jobs (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    type         VARCHAR(32)   NOT NULL,                          -- calibrate | apply | image | convert | ese-detect | workflow | ...
    status       VARCHAR(16)   DEFAULT 'pending' NOT NULL,
    ms_path      VARCHAR(1024),                                   -- NULL for jobs without an MS (convert, ese-detect)
    params       VARCHAR(100000) DEFAULT '{}' NOT NULL,           -- JSON: JobParams and friends
    artifacts    VARCHAR(100000) DEFAULT '[]' NOT NULL,           -- JSON array of output paths
    error        VARCHAR(10000),
    batch_id     BIGINT        REFERENCES batch_jobs (id) ON DELETE SET NULL,
    task_id      VARCHAR(36)   REFERENCES tasks (task_id) ON DELETE SET NULL,
    workflow_id  VARCHAR(64)   REFERENCES workflows (workflow_id) ON DELETE SET NULL,
    pid          BIGINT,                                          -- of an external executor process
    exit_code    INTEGER,
    created_at   TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE,
    finished_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ck_jobs_status CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled'))
);
CREATE INDEX ix_jobs_status ON jobs (status, created_at);
CREATE INDEX ix_jobs_created ON jobs (created_at);
CREATE INDEX ix_jobs_batch ON jobs (batch_id);
CREATE INDEX ix_jobs_ms_path ON jobs (ms_path);
CREATE INDEX ix_jobs_task ON jobs (task_id);
CREATE INDEX ix_jobs_workflow ON jobs (workflow_id);

CREATE TABLE job_log_lines (
    job_id  BIGINT        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq     INTEGER       NOT NULL,                               -- 0, 1, 2, ... per job; SSE resumes from a seq
    ts      TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    stream  VARCHAR(8)    DEFAULT 'stdout' NOT NULL,
    line    VARCHAR(16000) NOT NULL,
    CONSTRAINT pk_job_log_lines PRIMARY KEY (job_id, seq),
    CONSTRAINT ck_job_log_lines_stream CHECK (stream IN ('stdout', 'stderr'))
);

-- BatchJobStatus, one per item of a batch; payload is the item itself (an MS path, a time window, a data id ...).
CREATE TABLE batch_job_items (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    batch_id      BIGINT        NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,
    seq           INTEGER       NOT NULL,
    ms_path       VARCHAR(1024),                                  -- the item's label in BatchJobStatus
    payload       VARCHAR(100000),                                -- JSON
    job_id        BIGINT        REFERENCES jobs (id) ON DELETE SET NULL,
    status        VARCHAR(16)   DEFAULT 'pending' NOT NULL,
    error         VARCHAR(10000),
    started_at    TIMESTAMP WITH TIME ZONE,
    completed_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_batch_job_items_seq UNIQUE (batch_id, seq),
    CONSTRAINT ck_batch_job_items_status CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled'))
);
CREATE INDEX ix_batch_job_items_job ON batch_job_items (job_id);
