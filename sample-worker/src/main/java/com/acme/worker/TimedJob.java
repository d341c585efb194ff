package com.acme.worker;

import com.acme.worker.jobs.Job;

/** Runs one job on a worker thread, timing the call of execute() and recording its outcome. */
final class TimedJob implements Runnable {

    private final Job job;
    private final Tally tally;
    private final Runnable whenDone;

    TimedJob(Job job, Tally tally, Runnable whenDone) {
        this.job = job;
        this.tally = tally;
        this.whenDone = whenDone;
    }

    @Override
    public void run() {
        try {
            Throwable thrown = null;
            long start = System.nanoTime();
            try {
                job.execute();
            } catch (Throwable t) { // whatever escapes execute() is the job's outcome
                thrown = t;
            }
            long nanos = System.nanoTime() - start;
            // The job kind is the class's simple name, e.g. "IngestJob".
            tally.record(job.getClass().getSimpleName(), nanos, thrown);

            if (thrown instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // keep the pool's view of the interrupt
            } else if (thrown instanceof Error) {
                throw (Error) thrown; // counted, but not swallowed
            }
        } finally {
            whenDone.run();
        }
    }
}
