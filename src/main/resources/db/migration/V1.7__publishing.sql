-- Data registry: every data product from staging to its published place, with lineage and tags.

CREATE TABLE data_registry (
    data_id               VARCHAR(512)  NOT NULL PRIMARY KEY,     -- may contain '/' (served as {data_id:path})
    data_type             VARCHAR(16)   NOT NULL,                 -- also the products/ subdirectory
    stage_path            VARCHAR(1024) NOT NULL,
    published_path        VARCHAR(1024),
    status                VARCHAR(16)   DEFAULT 'staging' NOT NULL,
    qa_status             VARCHAR(16)   DEFAULT 'pending' NOT NULL,
    validation_status     VARCHAR(16)   DEFAULT 'pending' NOT NULL,
    finalization_status   VARCHAR(16)   DEFAULT 'pending' NOT NULL,
    auto_publish_enabled  BOOLEAN       DEFAULT TRUE NOT NULL,
    checksum_sha256       VARCHAR(64),                            -- hex, recorded at staging, verified after the move
    size_bytes            BIGINT,
    publish_attempts      INTEGER       DEFAULT 0 NOT NULL,
    publish_error         VARCHAR(10000),
    created_at            TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    staged_at             TIMESTAMP WITH TIME ZONE,
    published_at          TIMESTAMP WITH TIME ZONE,
    finalized_at          TIMESTAMP WITH TIME ZONE,
    updated_at            TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    metadata              VARCHAR(100000),                        -- JSON object
    CONSTRAINT ck_data_registry_type CHECK (data_type IN
        ('ms', 'calib_ms', 'caltable', 'image', 'mosaic', 'catalog', 'qa', 'metadata', 'misc')),
    CONSTRAINT ck_data_registry_status CHECK (status IN ('staging', 'publishing', 'published')),
    CONSTRAINT ck_data_registry_qa CHECK (qa_status IN ('pending', 'passed', 'failed', 'warning')),
    CONSTRAINT ck_data_registry_validation CHECK (validation_status IN ('pending', 'validated', 'invalid')),
    CONSTRAINT ck_data_registry_final CHECK (finalization_status IN ('pending', 'finalized')),
    CONSTRAINT ck_data_registry_attempts CHECK (publish_attempts >= 0)
);
CREATE INDEX ix_data_registry_type ON data_registry (data_type, status, created_at);
CREATE INDEX ix_data_registry_status ON data_registry (status, publish_attempts);
CREATE INDEX ix_data_registry_created ON data_registry (created_at);

-- Lineage: group -> MS -> image -> mosaic, caltable -> MS.
CREATE TABLE data_relationships (
    parent_id          VARCHAR(512)  NOT NULL REFERENCES data_registry (data_id) ON DELETE CASCADE,
    child_id           VARCHAR(512)  NOT NULL REFERENCES data_registry (data_id) ON DELETE CASCADE,
    relationship_type  VARCHAR(32)   DEFAULT 'derived_from' NOT NULL,   -- derived_from | calibrated_by | member_of
    created_at         TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT pk_data_relationships PRIMARY KEY (parent_id, child_id, relationship_type),
    CONSTRAINT ck_data_relationships_self CHECK (parent_id <> child_id)
);
CREATE INDEX ix_data_relationships_child ON data_relationships (child_id);

CREATE TABLE data_tags (
    data_id  VARCHAR(512)  NOT NULL REFERENCES data_registry (data_id) ON DELETE CASCADE,
    tag      VARCHAR(128)  NOT NULL,
    CONSTRAINT pk_data_tags PRIMARY KEY (data_id, tag)
);
CREATE INDEX ix_data_tags_tag ON data_tags (tag);
