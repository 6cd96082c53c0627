package org.dsa110.contimg.store;

/**
 * The fencing token of a group's pipeline execution: the worker that holds the group's claim and the claim's
 * version when the execution started or resumed on it. A hub commits a stage result, or ends the group, only while
 * the group's row still shows this claim: a hub that lost its lease (and whose work was taken over, which increments
 * the version) cannot write over the new owner's work when it wakes up.
 */
public record ClaimFence(String groupId, String workerId, long version) {
    /** SQL condition on the {@code ingest_groups} row (alias-free); its arguments are {@link #args()}. */
    public static final String CONDITION = "claimed_by = ? AND claim_version = ? AND state = 'in_progress'";

    public Object[] args() {
        return new Object[] {workerId, version};
    }

    /** True while the group's claim is still this one. */
    public boolean holds(Db db) {
        return db.scalarLong("SELECT COUNT(*) FROM ingest_groups WHERE group_id = ? AND " + CONDITION, groupId,
                workerId, version) == 1;
    }
}
