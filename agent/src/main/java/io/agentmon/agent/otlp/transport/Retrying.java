package io.agentmon.agent.otlp.transport;

import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The SDK's retry policy, applied as its own senders apply it: an attempt that failed in a way
 * worth retrying (an answer the collector says to retry, a refused or reset connection, a
 * timeout) is made again after a jittered, growing pause, while attempts and the exporter's
 * timeout last. The whole call, pauses included, ends by that timeout.
 */
final class Retrying {

    /** One attempt, to end by {@code deadlineNanos} ({@link System#nanoTime()}). */
    interface Attempt<A> {
        A run(long deadlineNanos) throws IOException;
    }

    /** Null: one attempt only. */
    private final RetryPolicy policy;
    private final Predicate<IOException> retryableFailure;
    /** The exporter's timeout, for the whole call. */
    private final long timeoutNanos;

    Retrying(RetryPolicy policy, long timeoutNanos) {
        this.policy = policy;
        this.timeoutNanos = timeoutNanos;
        this.retryableFailure = policy != null && policy.getRetryExceptionPredicate() != null
                ? policy.getRetryExceptionPredicate() : Retrying::isRetryableFailure;
    }

    <A> A call(Attempt<A> attempt, Predicate<A> retryableAnswer) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        int attempts = policy == null ? 1 : Math.max(1, policy.getMaxAttempts());
        long backoff = policy == null ? 0 : policy.getInitialBackoff().toNanos();
        for (int made = 1; ; made++) {
            A answer = null;
            IOException failure = null;
            try {
                answer = attempt.run(deadline);
            } catch (IOException e) {
                failure = e;
            }
            boolean again = made < attempts && (failure != null ? retryableFailure.test(failure) : retryableAnswer.test(answer));
            long current = policy == null ? 0 : Math.min(backoff, policy.getMaxBackoff().toNanos());
            long pause = (long) (ThreadLocalRandom.current().nextDouble(0.8, 1.2) * current);
            if (!again || System.nanoTime() + pause >= deadline) {
                if (failure != null) {
                    throw failure;
                }
                return answer;
            }
            TimeUnit.NANOSECONDS.sleep(pause); // the backoff the policy asks for, bounded by the deadline above
            backoff = (long) (current * policy.getBackoffMultiplier());
        }
    }

    /**
     * What the SDK's senders retry by default: timeouts, refused, reset or closed connections,
     * unknown hosts (a collector's name not yet in DNS).
     */
    static boolean isRetryableFailure(IOException e) {
        return e instanceof SocketTimeoutException || e instanceof SocketException || e instanceof UnknownHostException
                || e instanceof EOFException;
    }
}
