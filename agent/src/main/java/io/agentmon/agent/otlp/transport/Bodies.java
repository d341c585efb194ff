package io.agentmon.agent.otlp.transport;

import io.opentelemetry.exporter.internal.compression.Compressor;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** An export's request as bytes: protobuf, gzipped when the exporter asks. */
final class Bodies {

    private Bodies() {
    }

    /** The request serialized after {@code reserved} zero bytes (a prefix the caller fills in), through {@code compressor} when not null. */
    static byte[] serialized(Marshaler request, Compressor compressor, int reserved) throws IOException {
        int size = request.getBinarySerializedSize();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(reserved + (compressor == null ? size : size / 4 + 64));
        bytes.write(new byte[reserved], 0, reserved);
        if (compressor == null) {
            request.writeBinaryTo(bytes);
        } else { // closing the compressor's stream finishes it; closing a ByteArrayOutputStream does nothing
            try (OutputStream compressed = compressor.compress(bytes)) {
                request.writeBinaryTo(compressed);
            }
        }
        return bytes.toByteArray();
    }
}
