package dev.isonet.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Issue 3's goals with what was measured; printed only, never a reason to fail. */
final class Goals {
    private record Goal(String text, double measured, String unit, double limit, boolean atMost) {
        String verdict() {
            if (Double.isNaN(measured)) {
                return "not measured";
            }
            return (atMost ? measured <= limit : measured >= limit) ? "met" : "NOT met";
        }
    }

    private final List<Goal> goals = new ArrayList<>();

    Goals atMost(String text, double measured, String unit, double limit) {
        goals.add(new Goal(text, measured, unit, limit, true));
        return this;
    }

    Goals atLeast(String text, double measured, String unit, double limit) {
        goals.add(new Goal(text, measured, unit, limit, false));
        return this;
    }

    void print(PrintStream out) {
        out.println("goals (informational; CI does not fail on them):");
        for (Goal goal : goals) {
            out.printf("  %-46s measured %10s %-3s -> %s%n", goal.text(), Stats.number(goal.measured()), goal.unit(),
                    goal.verdict());
        }
    }
}
