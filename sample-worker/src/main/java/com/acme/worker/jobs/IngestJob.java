package com.acme.worker.jobs;

import java.util.Random;

/** Reads one record from an upstream feed; some records turn out to be corrupt. */
public final class IngestJob implements Job {

    private final long recordId;
    private final long readMillis;
    private final boolean corrupt;

    /** Draws everything up front from the job's own random, so a run is reproducible. */
    public IngestJob(long recordId, Random random) {
        this.recordId = recordId;
        this.readMillis = 2 + random.nextInt(19); // 2-20 ms
        this.corrupt = random.nextInt(100) < 10;  // about 10%
    }

    @Override
    public void execute() throws InterruptedException {
        Thread.sleep(readMillis); // stands in for reading from the feed
        if (corrupt) {
            throw new IllegalStateException("corrupt record " + recordId);
        }
    }

    @Override
    public String toString() {
        return "IngestJob#" + recordId;
    }
}
