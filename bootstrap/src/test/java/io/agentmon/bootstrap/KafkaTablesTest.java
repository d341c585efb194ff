package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kafka tables' bounds, filled: the consumer table refuses consumers beyond its room and
 * frees a slot on close or collection (never keeping a consumer alive); the records table folds
 * group and topic pairs beyond its room into one counter, losing no record. The only user of
 * these tables in this JVM.
 */
class KafkaTablesTest {

    @Test
    void theConsumerTableIsBoundedAndFreesClosedAndCollectedConsumers() throws Exception {
        List<Object> live = new ArrayList<>();
        List<Object> refused = new ArrayList<>();
        long refusedBefore = KafkaConsumers.refused();
        for (int i = 0; i < 4 * KafkaConsumers.SLOTS; i++) {
            Object consumer = new Object();
            KafkaConsumerEntry entry = KafkaConsumers.register(consumer, "g" + i);
            if (entry == null) {
                refused.add(consumer);
            } else {
                assertSame(entry, KafkaConsumers.register(consumer, "other"), "registered once");
                assertEquals("g" + i, entry.group());
                live.add(consumer);
            }
        }
        assertTrue(live.size() <= KafkaConsumers.SLOTS, live.size() + " consumers in " + KafkaConsumers.SLOTS + " slots");
        assertTrue(live.size() > KafkaConsumers.SLOTS / 2, "the table fills before it refuses: " + live.size());
        assertEquals(4 * KafkaConsumers.SLOTS - live.size(), KafkaConsumers.refused() - refusedBefore);
        for (Object consumer : refused) {
            assertNull(KafkaConsumers.find(consumer));
        }

        // Closing frees the slot: the consumer is forgotten at once.
        Object closed = live.remove(0);
        KafkaConsumers.remove(closed);
        assertNull(KafkaConsumers.find(closed));

        // Consumers the worker dropped without close are not kept alive, and their slots are taken over.
        List<WeakReference<Object>> dropped = new ArrayList<>();
        for (Object consumer : live) {
            dropped.add(new WeakReference<>(consumer));
        }
        live.clear();
        refused.clear();
        for (int i = 0; i < 100 && !allCleared(dropped); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(allCleared(dropped), "the table keeps no consumer alive");
        List<Object> next = new ArrayList<>();
        for (int i = 0; i < KafkaConsumers.SLOTS / 2; i++) {
            Object consumer = new Object();
            assertNotNull(KafkaConsumers.register(consumer, "next"), "a collected consumer's slot is reused");
            next.add(consumer);
        }
        int walked = 0;
        for (int slot = 0; slot < KafkaConsumers.SLOTS; slot++) {
            KafkaConsumerEntry entry = KafkaConsumers.entry(slot);
            if (entry != null && entry.consumer() != null) {
                walked++;
            }
        }
        assertEquals(next.size(), walked, "the scrape walks only live consumers");
        for (Object consumer : next) {
            KafkaConsumers.remove(consumer);
        }
    }

    @Test
    void groupAndTopicPairsBeyondTheTableShareOneCounterAndNoRecordIsLost() {
        Object consumer = new Object();
        KafkaProbes.created(consumer, "fill");
        int pairs = 3 * KafkaRecords.SLOTS;
        long total = 0;
        for (int i = 0; i < pairs; i++) {
            KafkaProbes.polled(consumer, "topic-" + i, i + 1);
            total += i + 1;
        }
        KafkaProbes.polled(consumer, "topic-0", 5); // an admitted pair keeps its own counter
        total += 5;
        long counted = KafkaRecords.overflow().records();
        int own = 0;
        for (int slot = 0; slot < KafkaRecords.SLOTS; slot++) {
            KafkaRecords.Counter counter = KafkaRecords.counter(slot);
            if (counter != null) {
                own++;
                counted += counter.records();
                if (counter.topic().equals("topic-0")) {
                    assertEquals(6, counter.records());
                }
            }
        }
        assertEquals(KafkaRecords.SLOTS, own, "every slot holds a pair");
        assertEquals(total, counted, "no record lost");
        assertEquals(pairs - KafkaRecords.SLOTS, KafkaRecords.folded());
        assertEquals(SeriesBudget.OTHER, KafkaRecords.overflow().group());
        assertEquals(SeriesBudget.OTHER, KafkaRecords.overflow().topic());
        KafkaProbes.closed(consumer);
    }

    private static boolean allCleared(List<WeakReference<Object>> references) {
        for (WeakReference<Object> reference : references) {
            if (reference.get() != null) {
                return false;
            }
        }
        return true;
    }
}
