package dev.isonet;

/** What a process run by {@link Node#exec} left: its exit code and everything it printed. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
