package com.acme.worker.jobs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Checksums a batch (real CPU work, on a small fork-join pool shared by all transforms, as an
 * async stage), validates it, then writes it out.
 */
public final class TransformJob extends AbstractJob {

    private static final ForkJoinPool HASHING = new ForkJoinPool(2);

    private static final int PAYLOAD_BYTES = 16 * 1024;

    private final long payloadSeed;
    private final int hashRounds;
    private final long writeMillis;
    private final boolean badSchema;

    public TransformJob(long batchId, Random random) {
        super(batchId);
        this.payloadSeed = random.nextLong();
        this.hashRounds = 8 + random.nextInt(25);    // roughly 0.3-2 ms of hashing
        this.writeMillis = 5 + random.nextInt(36);   // 5-40 ms
        this.badSchema = random.nextInt(100) < 5;    // about 5%
    }

    @Override
    public void execute() throws InterruptedException {
        byte[] payload = new byte[PAYLOAD_BYTES];
        new Random(payloadSeed).nextBytes(payload);
        CompletableFuture.supplyAsync(() -> checksum(payload), HASHING).join();
        if (badSchema) {
            throw new IllegalArgumentException("batch " + batchId() + " does not match the target schema");
        }
        Thread.sleep(writeMillis); // stands in for writing the result downstream
    }

    /** Hashes the payload repeatedly, chaining each digest into the next round. */
    byte[] checksum(byte[] payload) {
        MessageDigest sha256 = sha256();
        byte[] digest = new byte[0];
        for (int round = 0; round < hashRounds; round++) {
            sha256.update(digest);
            sha256.update(payload);
            digest = sha256.digest();
        }
        return digest;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM must provide SHA-256", e);
        }
    }
}
