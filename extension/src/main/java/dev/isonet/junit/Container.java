package dev.isonet.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a {@link dev.isonet.Node} field or parameter as a node of the {@link IsolatedNetwork}. Instance
 * fields are fresh for every test; static fields are shared by the class. A parameter with the name of an
 * existing node of the network gets that node.
 *
 * <p>Fields must be of type {@code Node} and not final; names must be unique. Parameter names need
 * {@code javac -parameters}, or an explicit {@link #name()}. The class (or the test method) needs
 * {@link IsolatedNetwork}; a {@code @Container} without it fails, naming the field, instead of staying null.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(IsolatedNetworkExtension.class)
public @interface Container {
    /** The node's name and hostname; defaults to the field's or parameter's name. */
    String name() default "";

    /**
     * A fixed IPv4 address in the network's subnet (which must then be fixed too, with
     * {@link IsolatedNetwork#subnet()}); empty takes the next free one.
     */
    String address() default "";

    /** The MTU of the node's link, 68 to 65535; 0 keeps the kernel's default (1500). */
    int mtu() default 0;

    /** More names by which every node of the network reaches this one. */
    String[] aliases() default {};

    /** Sysctls of the node's network namespace, as {@code "net.ipv4.tcp_keepalive_time=30"}. */
    String[] sysctls() default {};
}
