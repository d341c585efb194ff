package io.agentmon.agent.otlp.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * agentmon's HPACK against another implementation: the JDK's own (java.net.http's encoder and
 * decoder, opened to this test by the surefire configuration), which Huffman-codes, indexes,
 * evicts and resizes as a server's encoder does.
 */
class HpackTest {

    @Test
    void decodesWhatTheJdkEncodesBlockAfterBlock() throws Exception {
        JdkEncoder encoder = new JdkEncoder(Hpack.TABLE_SIZE);
        Hpack ours = new Hpack();
        SplittableRandom random = new SplittableRandom(7);
        for (int block = 0; block < 200; block++) {
            List<String[]> fields = new ArrayList<>();
            fields.add(new String[] {":status", block % 7 == 0 ? "503" : "200"});
            fields.add(new String[] {"content-type", "application/grpc"});
            fields.add(new String[] {"grpc-status", Integer.toString(block % 17)});
            fields.add(new String[] {"grpc-message", "export refused: queue full %E2%98%BA " + block});
            // names and values that repeat (indexed), that never repeat (evicting), and long ones
            // (integers over their prefix)
            for (int i = 0; i < random.nextInt(6); i++) {
                fields.add(new String[] {"x-" + random.nextInt(40), text(random, random.nextInt(300))});
            }
            byte[] encoded = encoder.encode(fields, block % 50 == 49 ? 1 + random.nextInt(Hpack.TABLE_SIZE) : -1);
            assertEquals(asText(fields), asText(ours.decode(encoded, 0, encoded.length)), "block " + block);
        }
    }

    /**
     * The JDK's encoder never adds to the table; RFC 7541's own examples do. C.3: three requests,
     * each adding to the table; C.5: three responses in a 256-byte table, the later ones evicting.
     */
    @Test
    void theRfcExamplesThatFillAndEvictTheTable() throws IOException {
        Hpack requests = new Hpack();
        assertEquals(List.of(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"),
                decode(requests, "828684410f7777772e6578616d706c652e636f6d"));
        assertEquals(List.of(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache"),
                decode(requests, "828684be58086e6f2d6361636865"));
        assertEquals(List.of(":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com", "custom-key: custom-value"),
                decode(requests, "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565"));

        Hpack responses = new Hpack(256);
        assertEquals(List.of(":status: 302", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                "location: https://www.example.com"),
                decode(responses, "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d54"
                        + "6e1768747470733a2f2f7777772e6578616d706c652e636f6d"));
        assertEquals(List.of(":status: 307", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                "location: https://www.example.com"),
                decode(responses, "4803333037c1c0bf"));
        assertEquals(List.of(":status: 200", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:22 GMT",
                "location: https://www.example.com", "content-encoding: gzip",
                "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
                decode(responses, "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d"
                        + "4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31"));
        // ":status: 302" went first (C.5.2), then the rest but the newest (C.5.3): index 62 to 64 now hold the last three
        assertEquals(List.of("set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1", "content-encoding: gzip",
                "date: Mon, 21 Oct 2013 20:13:22 GMT"), decode(responses, "bebfc0"));
        IOException evicted = assertThrows(IOException.class, () -> decode(responses, "c1"));
        assertTrue(evicted.getMessage().contains("no table entry 65"), evicted.getMessage());
    }

    private static List<String> decode(Hpack hpack, String hex) throws IOException {
        byte[] block = new byte[hex.length() / 2];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return asText(hpack.decode(block, 0, block.length));
    }

    /** The JDK's encoder Huffman-codes a string only when that is shorter, so its Huffman writer is asked directly. */
    @Test
    void everyByteThroughHuffman() throws Exception {
        Class<?> writerType = Class.forName(JdkEncoder.PACKAGE + "Huffman$Writer");
        Constructor<?> quick = Class.forName(JdkEncoder.PACKAGE + "QuickHuffman$Writer").getDeclaredConstructor();
        quick.setAccessible(true);
        Object writer = quick.newInstance();
        SplittableRandom random = new SplittableRandom(3);
        for (int b = 0; b < 256; b++) {
            String value = (char) b + text(random, random.nextInt(40)) + (char) b + (char) b;
            writerType.getMethod("reset").invoke(writer);
            writerType.getMethod("from", CharSequence.class, int.class, int.class).invoke(writer, value, 0, value.length());
            ByteBuffer coded = ByteBuffer.allocate(4 * value.length() + 8);
            assertTrue((Boolean) writerType.getMethod("write", ByteBuffer.class).invoke(writer, coded));
            coded.flip();
            assertEquals(value, Huffman.decode(coded.array(), 0, coded.limit()), "byte " + b);
        }
    }

    @Test
    void whatAgentmonWritesTheJdkReads() throws Exception {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        List<String[]> fields = List.of(new String[] {":method", "POST"}, new String[] {":path", "/opentelemetry.proto.collector.trace.v1.TraceService/Export"},
                new String[] {"authorization", "Bearer " + "k".repeat(300)}, new String[] {"x-empty", ""});
        for (String[] field : fields) {
            Hpack.writeLiteral(block, field[0], field[1]);
        }
        assertEquals(asText(fields), JdkEncoder.decode(block.toByteArray()));
    }

    @Test
    void aBrokenBlockIsAnErrorThatSaysWhat() {
        Hpack hpack = new Hpack();
        IOException cut = assertThrows(IOException.class, () -> hpack.decode(new byte[] {0x40, 0x05, 'a', 'b'}, 0, 4));
        assertTrue(cut.getMessage().contains("past the end"), cut.getMessage());
        IOException index = assertThrows(IOException.class, () -> hpack.decode(new byte[] {(byte) 0xBF}, 0, 1));
        assertTrue(index.getMessage().contains("no table entry 63"), index.getMessage()); // the first dynamic one, and the table is empty
        IOException size = assertThrows(IOException.class, () -> hpack.decode(new byte[] {0x3F, (byte) 0xE2, 0x1F}, 0, 3));
        assertTrue(size.getMessage().contains("table size of 4097"), size.getMessage());
    }

    private static String text(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static List<String> asText(List<String[]> fields) {
        List<String> text = new ArrayList<>();
        for (String[] field : fields) {
            text.add(field[0] + ": " + field[1]);
        }
        return text;
    }

    /** java.net.http's HPACK, reached by reflection: it is not exported, and --release 11 compiles against exports only. */
    private static final class JdkEncoder {
        private static final String PACKAGE = "jdk.internal.net.http.hpack.";
        private final Object encoder;

        JdkEncoder(int capacity) throws Exception {
            Constructor<?> constructor = Class.forName(PACKAGE + "Encoder").getConstructor(int.class);
            encoder = constructor.newInstance(capacity);
        }

        /** One header block; with {@code resize} not -1 the table is resized first (the block then starts with an update). */
        byte[] encode(List<String[]> fields, int resize) throws Exception {
            Class<?> type = encoder.getClass();
            if (resize >= 0) {
                type.getMethod("setMaxCapacity", int.class).invoke(encoder, resize);
            }
            Method header = type.getMethod("header", CharSequence.class, CharSequence.class);
            Method encode = type.getMethod("encode", ByteBuffer.class);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String[] field : fields) {
                header.invoke(encoder, field[0], field[1]);
                boolean done;
                do {
                    ByteBuffer buffer = ByteBuffer.allocate(256);
                    done = (Boolean) encode.invoke(encoder, buffer);
                    buffer.flip();
                    out.write(buffer.array(), 0, buffer.limit());
                } while (!done);
            }
            return out.toByteArray();
        }

        static List<String> decode(byte[] block) throws Exception {
            Class<?> callback = Class.forName(PACKAGE + "DecodingCallback");
            List<String> fields = new ArrayList<>();
            // Every onIndexed, onLiteral... and onDecoded call names the field: its first two CharSequences.
            Object collector = Proxy.newProxyInstance(callback.getClassLoader(), new Class<?>[] {callback}, (proxy, method, args) -> {
                List<CharSequence> texts = new ArrayList<>();
                for (Object arg : args == null ? new Object[0] : args) {
                    if (arg instanceof CharSequence) {
                        texts.add((CharSequence) arg);
                    }
                }
                if (texts.size() == 2) {
                    fields.add(texts.get(0) + ": " + texts.get(1));
                }
                return null;
            });
            Object decoder = Class.forName(PACKAGE + "Decoder").getConstructor(int.class).newInstance(Hpack.TABLE_SIZE);
            decoder.getClass().getMethod("decode", ByteBuffer.class, boolean.class, callback)
                    .invoke(decoder, ByteBuffer.wrap(block), true, collector);
            return fields;
        }
    }
}
