package com.acme.worker.jobs;

import com.acme.worker.remote.RemoteService;

import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Fetches one item from a remote service, giving up after a fixed timeout. */
public final class FetchJob implements Job {

    private static final long TIMEOUT_MILLIS = 40;

    private final long itemId;
    private final long latencyMillis;
    private final RemoteService remote;

    public FetchJob(long itemId, Random random, RemoteService remote) {
        this.itemId = itemId;
        // 1-60 ms, skewed towards fast replies like real services: about 20% exceed the timeout.
        double u = random.nextDouble();
        this.latencyMillis = 1 + (long) (59 * u * u);
        this.remote = remote;
    }

    @Override
    public void execute() throws InterruptedException, ExecutionException, TimeoutException {
        Future<String> reply = remote.call("item-" + itemId, latencyMillis);
        try {
            reply.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true); // don't leave the remote thread busy with an answer nobody waits for
            throw e;
        }
    }

    @Override
    public String toString() {
        return "FetchJob#" + itemId;
    }
}
