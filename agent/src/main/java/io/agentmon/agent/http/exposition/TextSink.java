package io.agentmon.agent.http.exposition;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text written as UTF-8 onto a stream through one byte buffer: ASCII a byte at a time, anything
 * else through the JDK's encoder, which writes an unpaired surrogate as {@code ?} just as the
 * {@code OutputStreamWriter} behind client_java's text writers does. That writer's
 * {@code BufferedWriter} takes a lock for every name, label and number it is given, and was half
 * of a text scrape's time at 150 task series (JFR, issue 12).
 */
final class TextSink {

    private final OutputStream out;
    private final byte[] buffer = new byte[8192];
    private int size;

    TextSink(OutputStream out) {
        this.out = out;
    }

    /** A character below 128. */
    void ascii(char c) throws IOException {
        if (size == buffer.length) {
            drain();
        }
        buffer[size++] = (byte) c;
    }

    void text(String text) throws IOException {
        text(text, 0, text.length());
    }

    /** {@code text} from {@code from} up to {@code to}. */
    void text(String text, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                bytes(text.substring(i, to).getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (size == buffer.length) {
                drain();
            }
            buffer[size++] = (byte) c;
        }
    }

    /** A whole number in decimal. */
    void number(long value) throws IOException {
        if (value >= 0 && value < 10) {
            ascii((char) ('0' + value));
        } else {
            text(Long.toString(value));
        }
    }

    /** As the text formats write a double: {@code +Inf} and {@code -Inf}, else {@link Double#toString}. */
    void number(double value) throws IOException {
        if (value == Double.POSITIVE_INFINITY) {
            text("+Inf");
        } else if (value == Double.NEGATIVE_INFINITY) {
            text("-Inf");
        } else {
            text(Double.toString(value));
        }
    }

    /** A label value or quoted name: backslash, double quote and line feed escaped. */
    void escaped(String text) throws IOException {
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '"' || c == '\n') {
                text(text, from, i);
                ascii('\\');
                ascii(c == '\n' ? 'n' : c);
                from = i + 1;
            }
        }
        text(text, from, text.length());
    }

    /** A HELP text: backslash and line feed escaped (a double quote is left as it is). */
    void escapedHelp(String text) throws IOException {
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '\n') {
                text(text, from, i);
                ascii('\\');
                ascii(c == '\n' ? 'n' : '\\');
                from = i + 1;
            }
        }
        text(text, from, text.length());
    }

    /** Writes out what the buffer holds. */
    void flush() throws IOException {
        drain();
        out.flush();
    }

    private void bytes(byte[] bytes) throws IOException {
        if (bytes.length > buffer.length - size) {
            drain();
            if (bytes.length > buffer.length) {
                out.write(bytes);
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void drain() throws IOException {
        out.write(buffer, 0, size);
        size = 0;
    }
}
