package io.agentmon.agent.http.exposition;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protobuf wire format, written forward into one growing array: varints, 64-bit doubles,
 * strings and nested messages. A nested message is opened with {@link #begin()}, written in
 * place, and closed with {@link #end(int, int)}, which moves its bytes up by the size of its tag
 * and length and writes those in front: no second pass to size each message first, and no
 * buffer per message.
 */
final class ProtobufWire {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    /** A tag and a length fit in ten bytes: a field number under 2^28, a length under 2^31. */
    private static final int MAX_HEADER = 10;

    private byte[] bytes;
    private int size;

    ProtobufWire(int initialCapacity) {
        bytes = new byte[Math.max(initialCapacity, 64)];
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** A uint64, int64 (as ten bytes when negative, as protobuf does), uint32 or enum field. */
    void varintField(int field, long value) {
        ensure(MAX_HEADER + 10);
        putVarint(tag(field, VARINT));
        putVarint(value);
    }

    void sint32Field(int field, int value) {
        varintField(field, ((value << 1) ^ (value >> 31)) & 0xFFFF_FFFFL);
    }

    void sint64Field(int field, long value) {
        varintField(field, (value << 1) ^ (value >> 63));
    }

    void doubleField(int field, double value) {
        ensure(MAX_HEADER + 8);
        putVarint(tag(field, FIXED64));
        long bits = Double.doubleToRawLongBits(value);
        for (int shift = 0; shift < 64; shift += 8) {
            bytes[size++] = (byte) (bits >>> shift);
        }
    }

    void stringField(int field, String value) {
        if (isAscii(value)) {
            int length = value.length();
            ensure(MAX_HEADER + length);
            putVarint(tag(field, LENGTH_DELIMITED));
            putVarint(length);
            for (int i = 0; i < length; i++) {
                bytes[size++] = (byte) value.charAt(i);
            }
        } else {
            // What protobuf-java writes too, an unpaired surrogate included ('?').
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            ensure(MAX_HEADER + utf8.length);
            putVarint(tag(field, LENGTH_DELIMITED));
            putVarint(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }
    }

    /** Opens a nested message; its fields follow, then {@link #end(int, int)} with what this returned. */
    int begin() {
        return size;
    }

    /** Closes the nested message opened at {@code mark} as field {@code field}. */
    void end(int field, int mark) {
        int length = size - mark;
        int header = varintSize(tag(field, LENGTH_DELIMITED)) + varintSize(length);
        ensure(header);
        System.arraycopy(bytes, mark, bytes, mark + header, length);
        int end = size + header;
        size = mark;
        putVarint(tag(field, LENGTH_DELIMITED));
        putVarint(length);
        size = end;
    }

    /** Writes what was written since the last {@link #reset()} as one length-prefixed message. */
    void writeDelimitedTo(OutputStream out) throws IOException {
        byte[] prefix = new byte[5];
        int n = 0;
        long length = size;
        while ((length & ~0x7FL) != 0) {
            prefix[n++] = (byte) ((length & 0x7F) | 0x80);
            length >>>= 7;
        }
        prefix[n++] = (byte) length;
        out.write(prefix, 0, n);
        out.write(bytes, 0, size);
    }

    private static long tag(int field, int wireType) {
        return ((long) field << 3) | wireType;
    }

    private void putVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    static int varintSize(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            n++;
            value >>>= 7;
        }
        return n;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a metric family over 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }

    private static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
