package org.dsa110.contimg.pipeline;

import org.dsa110.contimg.store.ClaimFence;

/**
 * This hub no longer holds the claim its execution runs under: its lease ran out and another hub took the group
 * over (or the group was requeued). Nothing of this execution is committed after that point; the dead-letter step
 * recognises it and stops the flow quietly (no DLQ item, the group is the new owner's).
 */
public final class LeaseLostException extends PermanentStageException {
    public static final String LEASE_LOST = "lease_lost";

    public LeaseLostException(ClaimFence fence, String what) {
        super(LEASE_LOST, "group " + fence.groupId() + ": " + what + " not committed: worker " + fence.workerId()
                + " no longer holds claim version " + fence.version() + " (the group was taken over)");
    }
}
