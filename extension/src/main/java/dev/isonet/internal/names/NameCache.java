package dev.isonet.internal.names;

import dev.isonet.internal.Settings;
import java.security.Security;

/**
 * The JVM's name cache is JVM-wide: a name resolved in one node (or one test's network) would be answered from
 * the cache in another for 30 s, and a failed lookup for 10 s. Isonet turns it off, once, as early as it can
 * (when a JUnit launcher session opens, else when the first network class loads), unless the setting
 * {@code isonet.names.uncached} is false or the user chose a value. It only works before the JVM's first name
 * lookup, which reads the policy once.
 */
public final class NameCache {
    static final String POSITIVE = "networkaddress.cache.ttl";
    static final String NEGATIVE = "networkaddress.cache.negative.ttl";
    /** The command-line equivalents the JDK also honours. */
    static final String POSITIVE_PROPERTY = "sun.net.inetaddr.ttl";
    static final String NEGATIVE_PROPERTY = "sun.net.inetaddr.negative.ttl";
    private static boolean done;

    private NameCache() {}

    /** Turns the cache off unless told not to or already set; idempotent. */
    public static synchronized void turnOff() {
        if (done) {
            return;
        }
        done = true;
        boolean wanted;
        try {
            wanted = Settings.NAMES_UNCACHED.enabled();
        } catch (IllegalArgumentException e) {
            wanted = true; // reported where settings are checked
        }
        if (!wanted) {
            return;
        }
        setUnlessChosen(POSITIVE, POSITIVE_PROPERTY, null);
        setUnlessChosen(NEGATIVE, NEGATIVE_PROPERTY, JDK_NEGATIVE_DEFAULT);
    }

    /** The JDK's own java.security file sets the negative ttl to this; the positive one it leaves unset. */
    static final String JDK_NEGATIVE_DEFAULT = "10";

    private static void setUnlessChosen(String securityProperty, String systemProperty, String jdkDefault) {
        String value = Security.getProperty(securityProperty);
        boolean chosen = value != null && !value.strip().equals(jdkDefault) || System.getProperty(systemProperty) != null;
        if (!chosen) {
            Security.setProperty(securityProperty, "0");
        }
    }
}
