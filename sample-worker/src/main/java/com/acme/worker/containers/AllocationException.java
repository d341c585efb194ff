package com.acme.worker.containers;

/** Thrown when the allocator has no room left for the requested container. */
public class AllocationException extends Exception {

    private static final long serialVersionUID = 1L;

    public AllocationException(String message) {
        super(message);
    }
}
