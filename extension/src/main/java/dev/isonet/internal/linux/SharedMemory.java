package dev.isonet.internal.linux;

import java.lang.invoke.VarHandle;

/**
 * Memory shared with the kernel ({@link LibC#mmap}), such as a packet socket's receive ring: integers in host byte
 * order, and bytes copied out. {@link #close()} unmaps it; no access may follow.
 */
public final class SharedMemory implements AutoCloseable {
    private final jnr.ffi.Pointer memory;
    private final long length;
    private boolean closed;

    SharedMemory(jnr.ffi.Pointer memory, long length) {
        this.memory = memory;
        this.length = length;
    }

    public long length() {
        return length;
    }

    /** Reads an int that the kernel hands over (a status word): later reads see what it wrote before. */
    public int getIntAcquire(long offset) {
        int value = memory.getInt(offset);
        VarHandle.acquireFence();
        return value;
    }

    public int getInt(long offset) {
        return memory.getInt(offset);
    }

    public int getUnsignedShort(long offset) {
        return Short.toUnsignedInt(memory.getShort(offset));
    }

    public void getBytes(long offset, byte[] target, int at, int count) {
        memory.get(offset, target, at, count);
    }

    /** Writes an int that hands memory back to the kernel: every read before it is done first. */
    public void putIntRelease(long offset, int value) {
        VarHandle.fullFence();
        memory.putInt(offset, value);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.munmap(memory, length);
        }
    }
}
