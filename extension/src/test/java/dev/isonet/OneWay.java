package dev.isonet;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * One-way times of UDP datagrams between two places of the same host: the sender writes System.nanoTime()
 * into each datagram and the receiver subtracts it from its own, on the same clock. A "place" is a node or
 * the host (the test thread): what matters is the namespace in which each socket was made.
 */
final class OneWay {
    private OneWay() {}

    /** Makes a socket inside {@code node}, or on the host when {@code node} is null. */
    static DatagramSocket socket(Node node, InetAddress bind) throws Exception {
        Callable<DatagramSocket> make = () -> new DatagramSocket(new InetSocketAddress(bind, 0));
        return node == null ? make.call() : node.run(make);
    }

    /**
     * Sends {@code count} datagrams, {@code gapMillis} apart, from {@code from} to {@code to}; answers each
     * one's one-way time in ms, sorted (NaN for the ones lost). Both sockets stay open.
     */
    static double[] millis(DatagramSocket from, DatagramSocket to, int count, long gapMillis) throws Exception {
        double[] times = new double[count];
        Arrays.fill(times, Double.NaN);
        Thread receiver = new Thread(() -> {
            byte[] buffer = new byte[12];
            try {
                to.setSoTimeout(3_000);
                for (int got = 0; got < count; got++) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    to.receive(packet);
                    long now = System.nanoTime();
                    ByteBuffer data = ByteBuffer.wrap(buffer);
                    int i = data.getInt();
                    times[i] = (now - data.getLong()) / 1e6;
                }
            } catch (SocketTimeoutException done) {
                // the rest were lost
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        receiver.start();
        InetSocketAddress target = new InetSocketAddress(to.getLocalAddress(), to.getLocalPort());
        for (int i = 0; i < count; i++) {
            byte[] data = ByteBuffer.allocate(12).putInt(i).putLong(System.nanoTime()).array();
            from.send(new DatagramPacket(data, data.length, target));
            Thread.sleep(gapMillis);
        }
        receiver.join(10_000);
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    /** The median of sorted times (NaN last). */
    static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }
}
