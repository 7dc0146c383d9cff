package dev.isonet.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every {@code isonet.*} setting, in one registry. A value is read from the system property first, else from
 * the JUnit configuration parameter of the same name ({@code junit-platform.properties}, or Surefire's
 * {@code configurationParameters}, which the JUnit adapter passes in through {@link #configure}), else it is
 * the default. Values are read when they are needed, so a system property set later still counts.
 *
 * <p>The README's configuration table lists exactly these settings, with these defaults; a test checks it.
 */
public final class Settings {
    private static final Map<String, Setting> KNOWN = new LinkedHashMap<>();
    /** Values given as JUnit configuration parameters; the system property of the same name wins. */
    private static final Map<String, String> JUNIT = new ConcurrentHashMap<>();

    /** The most spares {@link #SPARES} may ask for. */
    public static final int MAX_SPARES = 64;

    // Pool and prefix are checked where a network is built, with the other subnet arguments.
    public static final Setting SUBNET_POOL = define("isonet.subnet.pool", "10.213.0.0/16",
            "the pool that networks' subnets are taken from, as `a.b.c.d/n`", s -> { });
    public static final Setting SUBNET_PREFIX = define("isonet.subnet.prefix", "24",
            "the prefix length of each network's subnet taken from the pool", s -> { });
    public static final Setting SPARES = define("isonet.spares", "4",
            "how many fresh node namespaces Isonet makes ahead of need, in the background, so that building a"
                    + " network waits for fewer of them; `0` turns it off", s -> s.intValue(0, MAX_SPARES));
    public static final Setting TRACE = define("isonet.trace", "false",
            "`true` prints each step of building a network with its time", Setting::enabled);
    public static final Setting WARMUP = define("isonet.warmup", "true",
            "when a JUnit launcher session opens, load the native binding and make spares in the background, so"
                    + " that the first test does not wait for them; read at that moment, so give it as a system"
                    + " property or in `junit-platform.properties`", Setting::enabled);
    public static final Setting SUMMARY = define("isonet.summary", "true",
            "when a JUnit launcher session in which networks were built closes, log one line at INFO: networks"
                    + " and nodes built, setup time median and p99, and what is left on the host", Setting::enabled);

    public static final Setting STRANDED_THREADS = define("isonet.threads.stranded", "fail",
            "what to do when a JVM thread is still inside a node after its test closed it (a library pool born in"
                    + " the node): `fail` the test, `warn` in the log, or `ignore`",
            s -> s.oneOf("fail", "warn", "ignore"));

    private Settings() {}

    private static Setting define(String name, String defaultValue, String meaning, Consumer<Setting> check) {
        Setting setting = new Setting(name, defaultValue, meaning, check);
        KNOWN.put(name, setting);
        return setting;
    }

    /** Every setting, in the README's order. */
    public static List<Setting> all() {
        return List.copyOf(KNOWN.values());
    }

    /** Fails with a message naming the setting, its value and where it came from, unless every value is valid. */
    public static void check() {
        for (Setting setting : KNOWN.values()) {
            setting.check().accept(setting);
        }
    }

    /** Takes the value of each known setting that {@code parameters} has (JUnit configuration parameters). */
    public static void configure(Function<String, Optional<String>> parameters) {
        for (String name : KNOWN.keySet()) {
            parameters.apply(name).map(String::strip).ifPresent(value -> JUNIT.put(name, value));
        }
    }

    /** Forgets the JUnit configuration parameters taken so far: for tests. */
    public static void forgetConfiguration() {
        JUNIT.clear();
    }

    /** The JUnit configuration parameters taken so far, by name: for tests and diagnostics. */
    public static Map<String, String> configured() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(JUNIT));
    }

    /** One setting: its name, its default, what it means (as the README's table says), and its value check. */
    public record Setting(String name, String defaultValue, String meaning, Consumer<Setting> check) {
        /** The value in force: the system property, else the JUnit configuration parameter, else the default. */
        public String value() {
            String property = System.getProperty(name);
            if (property != null) {
                return property.strip();
            }
            return JUNIT.getOrDefault(name, defaultValue);
        }

        /** Where {@link #value()} comes from, for error messages. */
        public String source() {
            if (System.getProperty(name) != null) {
                return "system property";
            }
            return JUNIT.containsKey(name) ? "JUnit configuration parameter" : "default";
        }

        /** The value as a boolean; fails naming the setting unless it is {@code true} or {@code false}. */
        public boolean enabled() {
            String value = value();
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            if (value.equalsIgnoreCase("false")) {
                return false;
            }
            throw invalid(value, "true or false");
        }

        /** The value, lower-cased; fails naming the setting unless it is one of {@code choices}. */
        public String oneOf(String... choices) {
            String value = value().toLowerCase(java.util.Locale.ROOT);
            for (String choice : choices) {
                if (choice.equals(value)) {
                    return value;
                }
            }
            throw invalid(value(), "one of " + String.join(", ", choices));
        }

        /** The value as a whole number from {@code min} to {@code max}; fails naming the setting otherwise. */
        public int intValue(int min, int max) {
            String value = value();
            try {
                int number = Integer.parseInt(value);
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid(value, "a whole number from " + min + " to " + max);
        }

        private IllegalArgumentException invalid(String value, String expected) {
            return new IllegalArgumentException("setting " + name + "=" + value + " (" + source() + ") must be "
                    + expected + "; the default is " + defaultValue);
        }
    }
}
