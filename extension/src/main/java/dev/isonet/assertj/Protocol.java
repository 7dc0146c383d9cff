package dev.isonet.assertj;

/** How a probe tries to reach a target: a TCP connect, a UDP datagram and its echo, or an ICMP echo. */
record Protocol(Kind kind, int port) {
    enum Kind { TCP, UDP, ICMP }

    static Protocol tcp(int port) {
        return new Protocol(Kind.TCP, checked(port));
    }

    static Protocol udp(int port) {
        return new Protocol(Kind.UDP, checked(port));
    }

    static Protocol icmp() {
        return new Protocol(Kind.ICMP, 0);
    }

    private static int checked(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " must be 1 to 65535");
        }
        return port;
    }

    /** As failure messages say it: "on TCP port 80", "on UDP port 53", "via ICMP". */
    @Override
    public String toString() {
        return kind == Kind.ICMP ? "via ICMP" : "on " + kind + " port " + port;
    }
}
