package com.acme.worker.jobs;

/** Base class for jobs that work on one numbered batch of records. */
public abstract class AbstractJob implements Job {

    private final long batchId;

    protected AbstractJob(long batchId) {
        this.batchId = batchId;
    }

    protected final long batchId() {
        return batchId;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "#" + batchId;
    }
}
