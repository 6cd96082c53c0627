package org.dsa110.contimg.pipeline;

/** Message headers and exchange properties of the group flow (the body is always the group id). */
public final class PipelineHeaders {
    public static final String EXECUTION_ID = "PipelineExecutionId";
    public static final String GROUP_ID = "PipelineGroupId";
    public static final String HAS_CALIBRATOR = "PipelineHasCalibrator";
    /** ingest | api | schedule | dlq_retry | restart | takeover (pipeline_executions.trigger_source). */
    public static final String TRIGGER = "PipelineTrigger";
    /** The group's claim version this execution runs under (its fencing token, {@code store.ClaimFence}). */
    public static final String CLAIM_VERSION = "PipelineClaimVersion";
    /** streaming | reprocess | ... (pipeline_executions.job_type). */
    public static final String JOB_TYPE = "PipelineJobType";

    /** Exchange property set by each stage route: the stage's name. */
    public static final String STAGE = "stage";
    /** Exchange property set by each stage route: where its inputs come from (subbands, a stage name, all). */
    public static final String STAGE_INPUTS = "stageInputs";

    /** Where a failed group is resubmitted from the DLQ: resumes the execution at the failed stage. */
    public static final String RESUME_ENDPOINT = "seda:pipeline.resume";
    /** Exchange property: the inputs of an operator's stage run (a List of paths), instead of upstream outputs. */
    public static final String INPUTS_OVERRIDE = "stageInputsOverride";
    /** Exchange property: the execution whose completed outputs feed an operator's stage run. */
    public static final String UPSTREAM_EXECUTION = "stageUpstreamExecution";
    /** Exchange property: an operator's task params (a Map), over the stage's configured params. */
    public static final String PARAMS_OVERRIDE = "stageParamsOverride";
    /** Exchange property: a second {@link StageLogSink} that also receives the stage's log (a job's log). */
    public static final String LOG_TEE = "stageLogTee";
    /** The trigger of executions an operator (task, job, batch) started. */
    public static final String TRIGGER_API = "api";

    private PipelineHeaders() {
    }
}
