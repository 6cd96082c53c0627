-- Claims are leases (docs/operations.md, "Running several hubs"). A claimed ingest group and a claimed operator
-- task carry lease_until, renewed by the owning hub's heartbeat; a claim whose lease has run out is taken over by a
-- live hub. claim_version is the group's fencing token: every take-over (and every new claim) increments it, and a
-- pipeline execution commits a stage result only while the group's claim_version is still the one it started with.
-- Lease times are the database's own clock (CURRENT_TIMESTAMP), so the hubs' clocks need not agree on them.
ALTER TABLE ingest_groups ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE ingest_groups ADD COLUMN claim_version BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX ix_ingest_groups_lease ON ingest_groups (state, lease_until);

ALTER TABLE tasks ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_tasks_lease ON tasks (status, lease_until);

-- The hub processes of a cluster (one row per hub.worker.id): where they keep their data and when they last
-- renewed their leases. A hub starting on PostgreSQL checks that the live peers listed here share its data
-- directory (their marker files are in it).
CREATE TABLE hub_nodes (
    worker_id       VARCHAR(128)  NOT NULL PRIMARY KEY,
    hostname        VARCHAR(255),
    pid             BIGINT,
    data_dir        VARCHAR(1024) NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat  TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_until     TIMESTAMP WITH TIME ZONE NOT NULL,
    state           VARCHAR(16)   DEFAULT 'running' NOT NULL,
    CONSTRAINT ck_hub_nodes_state CHECK (state IN ('running', 'stopped', 'lost'))
);

-- The group a DLQ item belongs to (from its context), so the item is resolved when the group later completes.
ALTER TABLE dlq_items ADD COLUMN group_id VARCHAR(32);
CREATE INDEX ix_dlq_items_group ON dlq_items (group_id, status);
