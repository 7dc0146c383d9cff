package dev.isonet.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, min and max of a series of samples (any unit); NaN when there are none. */
record Stats(double median, double min, double max, int count) {
    static final Stats NONE = new Stats(Double.NaN, Double.NaN, Double.NaN, 0);

    static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            return NONE;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
    }

    static Stats of(double[] samples) {
        List<Double> list = new ArrayList<>(samples.length);
        for (double sample : samples) {
            list.add(sample);
        }
        return of(list);
    }

    /** The value at fraction {@code q} (0..1) of the sorted samples. */
    static double quantile(double[] samples, double q) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** "median [min..max]", with a precision that suits the size of the numbers. */
    String format() {
        if (isEmpty()) {
            return "n/a";
        }
        return number(median) + " [" + number(min) + ".." + number(max) + "]";
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format("%.0f", value);
        }
        if (abs >= 10) {
            return String.format("%.1f", value);
        }
        return String.format("%.2f", value);
    }
}
