package dev.isonet.internal.diagnostics;

import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.ns.HostNamespaces;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One host thread for every capture of the JVM: it waits in poll(2) on all their sockets and an eventfd, and
 * moves the blocks each socket's kernel ring hands over into its frame ring. Adding or removing a capture wakes it through the eventfd; it
 * closes a removed capture's socket itself, so that no fd is closed while it polls it (and so that the router
 * namespace, which the socket holds, is released microseconds after its network closes).
 */
final class CaptureReader {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final List<Capture> CAPTURES = new ArrayList<>();
    private static final List<Capture> REMOVED = new ArrayList<>();
    private static int wakeFd = -1;
    private static Thread thread;

    private CaptureReader() {}

    static void add(Capture capture) {
        synchronized (CaptureReader.class) {
            if (thread == null) {
                wakeFd = LibC.eventfd("capture reader wake-up");
                thread = HostNamespaces.newHostThread("isonet-capture", CaptureReader::run);
                thread.start();
            }
            CAPTURES.add(capture);
        }
        LibC.eventfdSignal(wakeFd);
    }

    static void remove(Capture capture) {
        int fd;
        synchronized (CaptureReader.class) {
            CAPTURES.remove(capture);
            REMOVED.add(capture);
            fd = wakeFd;
        }
        LibC.eventfdSignal(fd);
    }

    private static void run() {
        List<Capture> polled = List.of();
        byte[] pollfds = new byte[0];
        while (true) {
            try {
                List<Capture> gone;
                synchronized (CaptureReader.class) {
                    gone = List.copyOf(REMOVED);
                    REMOVED.clear();
                    if (polled.size() != CAPTURES.size() || !polled.equals(CAPTURES)) {
                        polled = List.copyOf(CAPTURES);
                        pollfds = pollfds(polled);
                    }
                }
                for (Capture capture : gone) {
                    capture.closeSocket(); // no longer in pollfds
                }
                LibC.poll(pollfds, -1, "capture sockets");
                ByteBuffer ready = ByteBuffer.wrap(pollfds).order(ByteOrder.nativeOrder());
                if (ready.getShort(6) != 0) {
                    LibC.eventfdClear(wakeFd);
                }
                boolean more = true;
                while (more) {
                    more = false;
                    for (int i = 0; i < polled.size(); i++) {
                        if (ready.getShort((i + 1) * 8 + 6) != 0) {
                            more |= polled.get(i).drain();
                        }
                    }
                }
                for (int i = 0; i <= polled.size(); i++) {
                    ready.putShort(i * 8 + 6, (short) 0);
                }
            } catch (RuntimeException e) {
                // One bad socket must not stop every capture: note it and go on after a pause.
                LOG.log(System.Logger.Level.WARNING, "isonet: the capture reader failed, and goes on: " + e);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private static byte[] pollfds(List<Capture> captures) {
        ByteBuffer fds = ByteBuffer.allocate((captures.size() + 1) * 8).order(ByteOrder.nativeOrder());
        fds.putInt(wakeFd).putShort(LibC.POLLIN).putShort((short) 0);
        for (Capture capture : captures) {
            fds.putInt(capture.fd()).putShort((short) (LibC.POLLIN | LibC.POLLERR)).putShort((short) 0);
        }
        return fds.array();
    }
}
