package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A team's own annotation that carries Isonet's: an offline network on a fixed subnet. */
class MetaAnnotationTests {

    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @IsolatedNetwork(nat = false, subnet = "10.215.240.0/28")
    @interface OfflineNetwork {}

    @OfflineNetwork
    @Nested
    class WithTheMetaAnnotation {
        @Container
        Node worker;

        @Test
        void theNetworkHasTheMetaAnnotationsSettings(Network network) {
            assertThat(network.nat()).isFalse();
            assertThat(network.subnet()).isEqualTo("10.215.240.0/28");
            assertThat(worker.ipv4().getHostAddress()).startsWith("10.215.240.");
        }
    }
}
