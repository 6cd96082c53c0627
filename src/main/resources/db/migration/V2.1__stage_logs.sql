-- Stage logs: the stdout/stderr of a stage run, one line per row (job_log_lines is for dashboard jobs;
-- pipeline stage runs of streaming groups would flood the jobs list). attempt tells which try wrote the line.
CREATE TABLE stage_log_lines (
    stage_run_id  BIGINT        NOT NULL REFERENCES stage_runs (id) ON DELETE CASCADE,
    seq           INTEGER       NOT NULL,                         -- 0, 1, 2, ... per stage run, across attempts
    attempt       INTEGER       DEFAULT 1 NOT NULL,
    ts            TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    stream        VARCHAR(8)    DEFAULT 'stdout' NOT NULL,
    line          VARCHAR(16000) NOT NULL,
    CONSTRAINT pk_stage_log_lines PRIMARY KEY (stage_run_id, seq),
    CONSTRAINT ck_stage_log_lines_stream CHECK (stream IN ('stdout', 'stderr'))
);
