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
    /** The most lines {@link #LOG_LINES} and {@link #REPORT_LINES} may ask for. */
    public static final int MAX_LOG_LINES = 1_000_000;

    // Pool and prefix are checked where a network is built, with the other subnet arguments.
    public static final Setting SUBNET_POOL = define("isonet.subnet.pool", "10.213.0.0/16",
            "the pool that networks' subnets are taken from, as `a.b.c.d/n`", s -> { });
    public static final Setting SUBNET_PREFIX = define("isonet.subnet.prefix", "24",
            "the prefix length of each network's subnet taken from the pool", s -> { });
    public static final Setting SPARES = define("isonet.spares", "4",
            "how many fresh node namespaces Isonet makes ahead of need, in the background, so that building a"
                    + " network waits for fewer of them; `0` turns it off", s -> s.intValue(0, MAX_SPARES));
    public static final Setting REUSE = define("isonet.reuse", "true",
            "`true` keeps the router of a closed network, reset (its ports down, fault rules, neighbours and"
                    + " connection tracking emptied), for the next network with the same subnet prefix and NAT"
                    + " setting, for at most 2 s; destroying it holds a kernel lock that network setup needs for"
                    + " about 17 ms. `false` destroys every router with its network", Setting::enabled);
    public static final Setting TRACE = define("isonet.trace", "false",
            "`true` logs each step of building a network with its time (at INFO, through `System.Logger`)",
            Setting::enabled);
    public static final Setting WARMUP = define("isonet.warmup", "true",
            "when a JUnit launcher session opens, load the native binding and make spares in the background, so"
                    + " that the first test does not wait for them; read at that moment, so give it as a system"
                    + " property or in `junit-platform.properties`", Setting::enabled);
    public static final Setting SUMMARY = define("isonet.summary", "true",
            "when a JUnit launcher session in which networks were built closes, log one line at INFO: networks"
                    + " and nodes built, setup time median and p99, and what is left on the host", Setting::enabled);
    public static final Setting STOP_GRACE = define("isonet.stop.grace", "2s",
            "how long closing a node (and `NodeProcess.stop()`) waits after SIGTERM before it sends SIGKILL to what"
                    + " is left, as `500ms`, `2s` or ISO-8601 (`PT1M`); `0s` kills at once",
            s -> s.durationValue());
    public static final Setting LOG_LINES = define("isonet.log.lines", "1000",
            "how many lines of output each started process keeps for `logs()`, `awaitLog` and failure reports;"
                    + " older lines are dropped (`Command.logLines(n)` sets it per process)",
            s -> s.intValue(1, MAX_LOG_LINES));
    public static final Setting REPORT_LINES = define("isonet.report.lines", "20",
            "when a test fails, how many of the last lines of each of its nodes' processes are reported with the"
                    + " failure; `0` reports none", s -> s.intValue(0, MAX_LOG_LINES));
    public static final Setting NAMES_UNCACHED = define("isonet.names.uncached", "true",
            "`true` turns the JVM's name cache off (security properties `networkaddress.cache.ttl` and"
                    + " `networkaddress.cache.negative.ttl` = `0`) when Isonet loads, so that a node name never"
                    + " resolves to a previous test's address; a value the user set for either is kept",
            Setting::enabled);

    public static final Setting STRANDED_THREADS = define("isonet.threads.stranded", "fail",
            "what to do when a JVM thread is still inside a node after its test closed it (a library pool born in"
                    + " the node): `fail` the test, `warn` in the log, or `ignore`",
            s -> s.oneOf("fail", "warn", "ignore"));
    public static final Setting DIAGNOSTICS = define("isonet.diagnostics", "on-failure",
            "when a test's diagnostics folder is written (capture, topology, rules, events, process logs; see"
                    + " [The diagnostics folder](#the-diagnostics-folder)): `on-failure`, `always`, or `never`", s -> s.oneOf("on-failure", "always", "never"));
    public static final Setting DIAGNOSTICS_DIR = define("isonet.diagnostics.dir", "target/isonet",
            "where diagnostics folders go, as `<dir>/<class>/<test>/`; relative to the working directory (with"
                    + " Maven, the module's)", s -> { });
    public static final Setting CAPTURE = define("isonet.capture", "true",
            "`true` captures every frame on each network's bridge from the moment it is built, keeping the last"
                    + " ones in memory for `capture.pcap` (it costs about 0.25 ms per network build and 1 MiB of kernel"
                    + " memory per network); read when a network is built", Setting::enabled);
    public static final Setting CAPTURE_BUFFER = define("isonet.capture.buffer", "8m",
            "how much of the capture each network keeps in memory (the last frames), as bytes or with `k`, `m`"
                    + " or `g`; memory is taken as traffic comes, up to this", s -> s.sizeValue(1L << 20, 1L << 32));
    public static final Setting CAPTURE_SNAPLEN = define("isonet.capture.snaplen", "1514",
            "how many bytes of each frame the capture keeps (1514: a whole frame at MTU 1500; GSO frames of up"
                    + " to 64 KiB are cut)", s -> s.intValue(64, 65535));
    public static final Setting KEEP_FAILED = define("isonet.keep.failed", "false",
            "`true` keeps a failed test's network up: its namespaces are bind-mounted under `/run/netns`, the"
                    + " commands to enter each node are logged, and the test waits (see [Keep a failed test's network"
                    + " up](#keep-a-failed-tests-network-up))",
            Setting::enabled);
    public static final Setting KEEP_TIMEOUT = define("isonet.keep.timeout", "10m",
            "how long a kept network stays up at most (deleting its `kept.txt` ends the wait sooner), as `30s`,"
                    + " `10m` or ISO-8601", s -> s.durationValue());

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

        /**
         * The value as a duration: {@code 500ms}, {@code 2s}, {@code 1m}, or ISO-8601 ({@code PT2S}); fails
         * naming the setting otherwise, or if it is negative.
         */
        public java.time.Duration durationValue() {
            String value = value();
            java.time.Duration parsed = parseDuration(value);
            if (parsed == null || parsed.isNegative()) {
                throw invalid(value, "a duration such as 500ms, 2s, 1m or PT2S");
            }
            return parsed;
        }

        /**
         * The value as a number of bytes, {@code min} to {@code max}: digits, optionally followed by {@code k},
         * {@code m} or {@code g} (powers of 1024); fails naming the setting otherwise.
         */
        public long sizeValue(long min, long max) {
            String value = value();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})\\s*([kKmMgG]?)").matcher(value);
            if (m.matches()) {
                int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    default -> 0;
                };
                long number = Long.parseLong(m.group(1)) << shift;
                if (number >= min && number <= max) {
                    return number;
                }
            }
            throw invalid(value, "a size from " + min + " to " + max + " bytes, such as 512k or 8m");
        }

        private static java.time.Duration parseDuration(String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})\\s*(ms|s|m)").matcher(value);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> java.time.Duration.ofMillis(n);
                    case "s" -> java.time.Duration.ofSeconds(n);
                    default -> java.time.Duration.ofMinutes(n);
                };
            }
            try {
                return java.time.Duration.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }

        private IllegalArgumentException invalid(String value, String expected) {
            return new IllegalArgumentException("setting " + name + "=" + value + " (" + source() + ") must be "
                    + expected + "; the default is " + defaultValue);
        }
    }
}
