package dev.isonet.internal.names;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.stream.Stream;

/**
 * On JDK 18+, makes plain {@code InetAddress.getByName("server")} (and so {@code new Socket("server", 80)}, the
 * HTTP client, every library) resolve node names, as {@link OpenNetworks} says for the calling thread; every
 * other name and address goes to the JDK's built-in resolver unchanged. Found through
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider}; shipped in the multi-release jar's
 * {@code META-INF/versions/18}, so JDK 17 never sees it.
 */
public final class NodeNameResolverProvider extends InetAddressResolverProvider {
    /** Called by the JDK's service loader. */
    public NodeNameResolverProvider() {}

    @Override
    public InetAddressResolver get(Configuration configuration) {
        return new Resolver(configuration.builtinResolver());
    }

    @Override
    public String name() {
        return "isonet";
    }

    private static final class Resolver implements InetAddressResolver {
        private final InetAddressResolver builtin;

        Resolver(InetAddressResolver builtin) {
            this.builtin = builtin;
        }

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            OpenNetworks.Answer answer = OpenNetworks.jvm().lookup(host);
            if (answer instanceof OpenNetworks.Refused refused) {
                throw new UnknownHostException(refused.reason());
            }
            if (answer instanceof OpenNetworks.Found found) {
                List<InetAddress> wanted = ordered(found.addresses(), policy.characteristics());
                if (!wanted.isEmpty()) {
                    return wanted.stream();
                }
            }
            return builtin.lookupByName(host, policy);
        }

        /** The addresses the policy asks for, in its order (IPv4 first unless it says IPv6 first). */
        private static List<InetAddress> ordered(List<InetAddress> addresses, int policy) {
            boolean v4 = (policy & LookupPolicy.IPV4) != 0;
            boolean v6 = (policy & LookupPolicy.IPV6) != 0;
            Stream<InetAddress> kept = addresses.stream().filter(a -> a.getAddress().length == 4 ? v4 : v6);
            if ((policy & LookupPolicy.IPV6_FIRST) != 0) {
                return kept.sorted((a, b) -> Integer.compare(b.getAddress().length, a.getAddress().length)).toList();
            }
            return kept.sorted((a, b) -> Integer.compare(a.getAddress().length, b.getAddress().length)).toList();
        }

        @Override
        public String lookupByAddress(byte[] address) throws UnknownHostException {
            String name = OpenNetworks.jvm().reverse(InetAddress.getByAddress(address));
            return name != null ? name : builtin.lookupByAddress(address);
        }
    }
}
