package com.acme.worker.jobs;

/** One unit of work run by a worker thread. */
public interface Job {

    /**
     * Runs the job. Returning normally means success; any exception means the job did not
     * complete (a {@link java.util.concurrent.TimeoutException} means it gave up waiting).
     */
    void execute() throws Exception;
}
