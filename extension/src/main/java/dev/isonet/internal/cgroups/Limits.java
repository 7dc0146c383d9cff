package dev.isonet.internal.cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A node's resource limits; 0 means none. {@code memoryBytes} is the most memory its processes may use together
 * (no swap), {@code pids} the most processes and threads, {@code cpus} the CPU time per wall-clock time.
 */
public record Limits(long memoryBytes, int pids, double cpus) {
    public static final Limits NONE = new Limits(0, 0, 0);

    public boolean any() {
        return memoryBytes > 0 || pids > 0 || cpus > 0;
    }

    /** The cgroup controllers these limits need: memory, pids, cpu. */
    public List<String> controllers() {
        List<String> controllers = new ArrayList<>();
        if (memoryBytes > 0) {
            controllers.add("memory");
        }
        if (pids > 0) {
            controllers.add("pids");
        }
        if (cpus > 0) {
            controllers.add("cpu");
        }
        return controllers;
    }

    /** How messages name the option that needs {@code controller}: "memory limit 64 MiB". */
    public String option(String controller) {
        return switch (controller) {
            case "memory" -> "memory limit " + bytes(memoryBytes);
            case "pids" -> "pids limit " + pids;
            case "cpu" -> "cpus " + cpus;
            default -> controller;
        };
    }

    /** 64 MiB, 1.5 GiB, 4096 bytes. */
    public static String bytes(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value))
                + " " + units[unit];
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (String controller : controllers()) {
            parts.add(option(controller));
        }
        return String.join(", ", parts);
    }
}
