package io.agentmon.agent.otlp.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * HTTP/2 header compression (HPACK, RFC 7541), as much as a client of one server needs.
 * Requests go out as literals that ask for no indexing, so the server's table for this
 * connection never fills and nothing here has to track it. Responses are decoded in full: the
 * static table, the dynamic table the server fills (one per connection, so one decoder per
 * connection) and Huffman-coded strings.
 */
final class Hpack {

    /** SETTINGS_HEADER_TABLE_SIZE left at its default, so the server may use this much. */
    static final int TABLE_SIZE = 4096;
    /** A header block bigger than this is refused: gRPC answers with a handful of short headers. */
    static final int MAX_HEADER_LIST = 64 * 1024;

    /** RFC 7541, Appendix A: index 1 to 61. */
    private static final String[][] STATIC = {
        {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"}, {":path", "/index.html"},
        {":scheme", "http"}, {":scheme", "https"}, {":status", "200"}, {":status", "204"}, {":status", "206"},
        {":status", "304"}, {":status", "400"}, {":status", "404"}, {":status", "500"}, {"accept-charset", ""},
        {"accept-encoding", "gzip, deflate"}, {"accept-language", ""}, {"accept-ranges", ""}, {"accept", ""},
        {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""}, {"authorization", ""}, {"cache-control", ""},
        {"content-disposition", ""}, {"content-encoding", ""}, {"content-language", ""}, {"content-length", ""},
        {"content-location", ""}, {"content-range", ""}, {"content-type", ""}, {"cookie", ""}, {"date", ""},
        {"etag", ""}, {"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""}, {"if-match", ""},
        {"if-modified-since", ""}, {"if-none-match", ""}, {"if-range", ""}, {"if-unmodified-since", ""},
        {"last-modified", ""}, {"link", ""}, {"location", ""}, {"max-forwards", ""}, {"proxy-authenticate", ""},
        {"proxy-authorization", ""}, {"range", ""}, {"referer", ""}, {"refresh", ""}, {"retry-after", ""},
        {"server", ""}, {"set-cookie", ""}, {"strict-transport-security", ""}, {"transfer-encoding", ""},
        {"user-agent", ""}, {"vary", ""}, {"via", ""}, {"www-authenticate", ""},
    };
    /** What RFC 7541 counts for each entry besides its name and value. */
    private static final int ENTRY_OVERHEAD = 32;

    /** Newest first, as the table is indexed. */
    private final ArrayDeque<String[]> dynamic = new ArrayDeque<>();
    private int dynamicSize;
    /** The most a size update may set: what agentmon's SETTINGS allow. */
    private final int allowedSize;
    private int maxSize;

    private byte[] block;
    private int position;
    private int end;

    Hpack() {
        this(TABLE_SIZE);
    }

    Hpack(int allowedSize) {
        this.allowedSize = allowedSize;
        this.maxSize = allowedSize;
    }

    /** A header field as a literal never to be indexed, with a literal name (RFC 7541, 6.2.3). */
    static void writeLiteral(ByteArrayOutputStream out, String name, String value) {
        out.write(0x10);
        writeString(out, name.getBytes(StandardCharsets.UTF_8));
        writeString(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeString(ByteArrayOutputStream out, byte[] bytes) {
        writeInteger(out, bytes.length, 7, 0);
        out.write(bytes, 0, bytes.length);
    }

    /** RFC 7541, 5.1: an integer in the low {@code prefixBits} of a first byte that also holds {@code flags}. */
    static void writeInteger(ByteArrayOutputStream out, int value, int prefixBits, int flags) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(flags | value);
            return;
        }
        out.write(flags | max);
        value -= max;
        while (value >= 0x80) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    /** The fields of one complete header block, in order, as name and value pairs. */
    List<String[]> decode(byte[] bytes, int offset, int length) throws IOException {
        if (length > MAX_HEADER_LIST) {
            throw new IOException("HPACK: a header block of " + length + " bytes, over " + MAX_HEADER_LIST);
        }
        block = bytes;
        position = offset;
        end = offset + length;
        List<String[]> fields = new ArrayList<>();
        while (position < end) {
            int first = block[position] & 0xFF;
            if ((first & 0x80) != 0) { // indexed field
                String[] entry = entry(readInteger(7));
                fields.add(new String[] {entry[0], entry[1]});
            } else if ((first & 0x40) != 0) { // literal, then indexed
                String[] field = literal(6);
                fields.add(field);
                insert(field);
            } else if ((first & 0x20) != 0) { // table size update
                int size = readInteger(5);
                if (size > allowedSize) {
                    throw new IOException("HPACK: a table size of " + size + ", over the " + allowedSize + " allowed");
                }
                maxSize = size;
                evictTo(maxSize);
            } else { // literal, not indexed (0000) or never indexed (0001)
                fields.add(literal(4));
            }
        }
        block = null;
        return fields;
    }

    private String[] literal(int prefixBits) throws IOException {
        int index = readInteger(prefixBits);
        String name = index == 0 ? readString() : entry(index)[0];
        return new String[] {name, readString()};
    }

    private String[] entry(int index) throws IOException {
        if (index >= 1 && index <= STATIC.length) {
            return STATIC[index - 1];
        }
        int dynamicIndex = index - STATIC.length - 1;
        if (index < 1 || dynamicIndex >= dynamic.size()) {
            throw new IOException("HPACK: no table entry " + index);
        }
        Iterator<String[]> entries = dynamic.iterator();
        for (int i = 0; i < dynamicIndex; i++) {
            entries.next();
        }
        return entries.next();
    }

    private void insert(String[] field) {
        int size = field[0].length() + field[1].length() + ENTRY_OVERHEAD; // ISO-8859-1: a char a byte
        if (size > maxSize) {
            evictTo(0);
            return;
        }
        evictTo(maxSize - size);
        dynamic.addFirst(field);
        dynamicSize += size;
    }

    private void evictTo(int size) {
        while (dynamicSize > size) {
            String[] oldest = dynamic.removeLast();
            dynamicSize -= oldest[0].length() + oldest[1].length() + ENTRY_OVERHEAD;
        }
    }

    private int readInteger(int prefixBits) throws IOException {
        int max = (1 << prefixBits) - 1;
        int value = next() & max;
        if (value < max) {
            return value;
        }
        for (int shift = 0; shift <= 21; shift += 7) {
            int b = next();
            value += (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("HPACK: an integer too large");
    }

    private String readString() throws IOException {
        boolean huffman = position < end && (block[position] & 0x80) != 0;
        int length = readInteger(7);
        if (length > end - position) {
            throw new IOException("HPACK: a string of " + length + " bytes past the end of its block");
        }
        String value = huffman ? Huffman.decode(block, position, length)
                : new String(block, position, length, StandardCharsets.ISO_8859_1);
        position += length;
        return value;
    }

    private int next() throws IOException {
        if (position >= end) {
            throw new IOException("HPACK: a header block cut short");
        }
        return block[position++] & 0xFF;
    }
}
