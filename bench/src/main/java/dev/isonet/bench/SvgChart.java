package dev.isonet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A line chart of setup time against N, log-log, written as plain SVG text (no library). */
final class SvgChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 80;

    record Point(int n, Stats ms) {}

    record Series(String name, String color, List<Point> points) {}

    private final double xLo;
    private final double xHi;
    private final double yLo;
    private final double yHi;
    private final StringBuilder svg = new StringBuilder();

    private SvgChart(double xLo, double xHi, double yLo, double yHi) {
        this.xLo = xLo;
        this.xHi = xHi;
        this.yLo = yLo;
        this.yHi = yHi;
    }

    static void write(Path file, String title, String footnote, List<Series> series) throws IOException {
        double minN = Double.MAX_VALUE;
        double maxN = 0;
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (Series s : series) {
            for (Point p : s.points()) {
                minN = Math.min(minN, p.n());
                maxN = Math.max(maxN, p.n());
                minMs = Math.min(minMs, p.ms().min());
                maxMs = Math.max(maxMs, p.ms().max());
            }
        }
        if (maxN == 0) {
            throw new IllegalArgumentException("nothing to plot");
        }
        double yLo = Math.floor(Math.log10(Math.max(minMs, 0.01)));
        double yHi = Math.max(yLo + 1, Math.ceil(Math.log10(Math.max(maxMs, 0.01))));
        SvgChart chart = new SvgChart(Math.log10(minN) - 0.15, Math.log10(maxN) + 0.15, yLo, yHi);
        chart.draw(title, footnote, series);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, chart.svg);
    }

    private double x(double n) {
        return LEFT + (Math.log10(n) - xLo) / (xHi - xLo) * (WIDTH - LEFT - RIGHT);
    }

    private double y(double ms) {
        double plot = HEIGHT - TOP - BOTTOM;
        return TOP + plot - (Math.log10(ms) - yLo) / (yHi - yLo) * plot;
    }

    private void draw(String title, String footnote, List<Series> series) {
        add("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">", WIDTH, HEIGHT, WIDTH, HEIGHT);
        add("<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>");
        add("<text x=\"%d\" y=\"28\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">%s</text>",
                WIDTH / 2, escape(title));
        int bottom = HEIGHT - BOTTOM;
        for (int decade = (int) yLo; decade <= (int) yHi; decade++) {
            for (int m : new int[] {1, 2, 5}) {
                double ms = m * Math.pow(10, decade);
                if (Math.log10(ms) > yHi + 1e-9) {
                    break;
                }
                String shade = m == 1 ? "#bbbbbb" : "#e4e4e4";
                add("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>", LEFT, y(ms), WIDTH - RIGHT,
                        y(ms), shade);
                add("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>", LEFT - 6, y(ms) + 4,
                        m == 1 ? "#000" : "#888", label(ms));
            }
        }
        java.util.SortedSet<Integer> sizes = new java.util.TreeSet<>();
        series.forEach(s -> s.points().forEach(p -> sizes.add(p.n())));
        for (int n : sizes) {
            add("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bbbbbb\"/>", x(n), TOP, x(n), bottom);
            add("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", x(n), bottom + 18, n);
        }
        add("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#000\"/>", LEFT, TOP,
                WIDTH - LEFT - RIGHT, bottom - TOP);
        add("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">nodes N (log scale)</text>",
                LEFT + (WIDTH - LEFT - RIGHT) / 2, bottom + 38);
        add("<text transform=\"translate(20,%d) rotate(-90)\" text-anchor=\"middle\">setup time, ms (median, bar:"
                + " min..max; log scale)</text>", TOP + (bottom - TOP) / 2);
        int legendY = TOP + 18;
        for (Series s : series) {
            StringBuilder line = new StringBuilder();
            for (Point p : s.points()) {
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.n()), y(p.ms().median())));
                add("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>",
                        x(p.n()), y(p.ms().min()), x(p.n()), y(p.ms().max()), s.color());
                add("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>", x(p.n()), y(p.ms().median()), s.color());
                add("<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"10\">%s</text>", x(p.n()) + 6,
                        y(p.ms().median()) - 5, s.color(), Stats.number(p.ms().median()));
            }
            add("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>", line.toString().trim(),
                    s.color());
            add("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>", LEFT + 12,
                    legendY - 4, LEFT + 36, legendY - 4, s.color());
            add("<text x=\"%d\" y=\"%d\">%s</text>", LEFT + 42, legendY, escape(s.name()));
            legendY += 18;
        }
        add("<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#555\">%s</text>", LEFT, HEIGHT - 12, escape(footnote));
        add("</svg>");
    }

    private static String label(double ms) {
        return new java.math.BigDecimal(ms).round(new java.math.MathContext(1)).stripTrailingZeros().toPlainString();
    }

    private void add(String format, Object... args) {
        svg.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
