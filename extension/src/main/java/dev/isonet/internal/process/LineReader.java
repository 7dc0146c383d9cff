package dev.isonet.internal.process;

import dev.isonet.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Reads a stream into a {@link ProcessLog}, line by line, until it ends. */
public final class LineReader {
    private LineReader() {}

    /**
     * Reads {@code in} to its end, appending each line (without {@code \n} or {@code \r\n}; cut every
     * {@value LogLine#MAX_LENGTH} bytes) as {@code stream}; a last line without a newline counts too.
     */
    public static void read(InputStream in, LogLine.Stream stream, ProcessLog log) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (in) {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        emit(line, stream, log);
                    } else {
                        line.write(b);
                        if (line.size() >= LogLine.MAX_LENGTH) {
                            emit(line, stream, log);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the stream was closed under us (the process was killed): keep what came
        } finally {
            if (line.size() > 0) {
                emit(line, stream, log);
            }
            log.streamEnded();
        }
    }

    private static void emit(ByteArrayOutputStream line, LogLine.Stream stream, ProcessLog log) {
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        line.reset();
        log.append(new LogLine(stream, Instant.now(), new String(bytes, 0, length, StandardCharsets.UTF_8)));
    }
}
