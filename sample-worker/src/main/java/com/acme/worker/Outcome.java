package com.acme.worker;

import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** How a call of {@code Job.execute()} ended. */
enum Outcome {
    SUCCESS, TIMEOUT, FAILURE;

    /** The outcome for what {@code execute()} threw, or {@code null} if it returned normally. */
    static Outcome of(Throwable thrown) {
        if (thrown == null) {
            return SUCCESS;
        }
        return thrown instanceof TimeoutException ? TIMEOUT : FAILURE;
    }

    /** The name used in the tally: {@code success}, {@code timeout}, {@code failure}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
