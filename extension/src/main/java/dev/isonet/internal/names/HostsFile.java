package dev.isonet.internal.names;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One node's hosts file, held open by this JVM (it lives on a tmpfs that exists only in the node's mount
 * namespace, so nothing of it is on the host). Rewritten in place and never shorter, so a reader never sees it
 * truncated: shorter content is padded with a comment line.
 */
final class HostsFile implements AutoCloseable {
    private final FileChannel channel;
    private int length;

    /** Opens the file that {@code path} (such as /proc/PID/fd/N) names now, so later fd reuse cannot matter. */
    HostsFile(String path) {
        try {
            this.channel = FileChannel.open(Path.of(path), StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the hosts file " + path, e);
        }
    }

    void write(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < length) {
            String padding = "#" + " ".repeat(Math.max(0, length - bytes.length - 2)) + "\n";
            bytes = (content + padding).getBytes(StandardCharsets.UTF_8);
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            for (long at = 0; buffer.hasRemaining(); ) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a node's hosts file", e);
        }
        length = Math.max(length, bytes.length);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
