package io.agentmon.agent.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A window keeps each reading packed and gives it back whole, for as many samples as it holds. */
class WindowTest {

    @Test
    void aReadingComesBackAsItWasPut() {
        Window window = new Window(0, 8, 2);
        long[] reading = {5, 7, 0, 0, 3, 0, 9, 0}; // two counts, then slots with empty ends
        window.put(0, reading);
        assertArrayEquals(reading, window.at(0));
        long[] empty = {1, 2, 0, 0, 0, 0, 0, 0};
        window.put(1, empty);
        assertArrayEquals(empty, window.at(1));
        assertArrayEquals(reading, window.at(0), "the earlier reading is still there");
    }

    @Test
    void onlyTheLastReadingsAreKept() {
        Window window = new Window(3, 3, 1);
        for (long sample = 3; sample < 3 + Window.READINGS + 1; sample++) {
            window.put(sample, new long[] {sample, 0, sample});
        }
        assertNull(window.at(3), "overwritten by the reading a full window later");
        assertArrayEquals(new long[] {4, 0, 4}, window.at(4));
        assertNull(window.at(3 + Window.READINGS + 1), "not read yet");
        assertNull(window.at(-1));
    }
}
