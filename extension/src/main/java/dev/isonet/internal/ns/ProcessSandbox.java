package dev.isonet.internal.ns;

import dev.isonet.internal.linux.LibC;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where a node's processes live: a PID namespace of their own (with its own /proc), an IPC namespace, and a
 * mount namespace under the node's. Its init is a bash that only reaps orphans, started as
 *
 * <pre>setpriv --pdeathsig KILL -- nsenter --net --uts [--mount] -- unshare --fork --pid --kill-child=SIGKILL
 *     --mount --mount-proc --propagation private --ipc -- bash (isonet-init)</pre>
 *
 * <p>When the init dies the kernel kills every process of the namespace, however deep or detached, and no
 * process can enter it any more (fork fails). The init dies when the node closes, and when the JVM dies: the
 * chain gets SIGKILL through its death signal and {@code --kill-child} passes it on. Processes join through
 * namespace fds this JVM holds, never by the init's PID, which could be reused once it died.
 */
final class ProcessSandbox {
    private static final long READY_SECONDS = 20;
    private static final String INIT_LOOP = "echo ready; exec </dev/null >/dev/null 2>&1;"
            + " while :; do sleep 3600 & wait $!; done";

    private final String owner;
    private final Process chain;
    private final long initPid;
    private final int pidFd;
    private final int mntFd;
    private final int ipcFd;
    private final String pidIdentity;
    /** A container's root filesystem, whose mount namespace is joined instead of {@link #mntFd}; or null. */
    private volatile RootFilesystem root;
    /** A container's cgroup placement, put in front of nsenter; empty for none. */
    private volatile List<String> placement = List.of();

    private ProcessSandbox(String owner, Process chain, long initPid, int pidFd, int mntFd, int ipcFd) {
        this.owner = owner;
        this.chain = chain;
        this.initPid = initPid;
        this.pidFd = pidFd;
        this.mntFd = mntFd;
        this.ipcFd = ipcFd;
        this.pidIdentity = ThreadsInNamespaces.identity(pidFd);
    }

    /** Starts the init inside {@code fds} (and the node mount namespace {@code nodeMnt}, or -1). */
    static ProcessSandbox start(String owner, NamespaceFds fds, int nodeMnt) throws IOException {
        Spawner.requireTools(owner);
        List<String> command = new ArrayList<>(List.of(Spawner.NSENTER,
                "--net=" + HostNamespaces.fdPath(fds.net()), "--uts=" + HostNamespaces.fdPath(fds.uts())));
        if (nodeMnt >= 0) {
            command.add("--mount=" + HostNamespaces.fdPath(nodeMnt));
        }
        command.addAll(List.of("--", Spawner.UNSHARE, "--fork", "--pid", "--kill-child=SIGKILL", "--mount",
                "--mount-proc", "--propagation", "private", "--ipc", "--",
                Spawner.BASH, "-c", "exec -a isonet-init " + Spawner.BASH + " -c '" + INIT_LOOP + "'"));
        Process chain = Spawner.start(command, new ProcessBuilder().redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))), owner);
        try {
            awaitReady(chain, owner);
            long init = onlyChild(chain.pid());
            if (init < 0 || !chain.isAlive()) {
                throw new IOException("the process namespace of " + owner + " ended as it started");
            }
            // The init's PID cannot be reused while the chain, its parent, is alive and has not reaped it.
            int pid = LibC.open("/proc/" + init + "/ns/pid", LibC.O_RDONLY | LibC.O_CLOEXEC);
            int mnt = LibC.open("/proc/" + init + "/ns/mnt", LibC.O_RDONLY | LibC.O_CLOEXEC);
            int ipc = LibC.open("/proc/" + init + "/ns/ipc", LibC.O_RDONLY | LibC.O_CLOEXEC);
            return new ProcessSandbox(owner, chain, init, pid, mnt, ipc);
        } catch (IOException | RuntimeException e) {
            chain.destroyForcibly();
            throw e;
        }
    }

    private static void awaitReady(Process chain, String owner) throws IOException {
        CompletableFuture<List<String>> lines = new CompletableFuture<>();
        HostNamespaces.io(() -> {
            List<String> seen = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(chain.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals("ready")) {
                        lines.complete(List.of());
                        return;
                    }
                    seen.add(line);
                }
            } catch (IOException e) {
                seen.add(e.toString());
            }
            lines.complete(seen);
        });
        try {
            List<String> failure = lines.get(READY_SECONDS, TimeUnit.SECONDS);
            if (!failure.isEmpty() || !chain.isAlive()) {
                throw new IOException("could not start the process namespace of " + owner + ": "
                        + String.join("\n", failure));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the process namespace of " + owner, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the process namespace of " + owner + " did not start within "
                    + READY_SECONDS + " s", e);
        }
    }

    /** The one child of {@code parent}, or -1 once it has none. */
    static long onlyChild(long parent) {
        Path children = Path.of("/proc/" + parent + "/task/" + parent + "/children");
        for (int attempt = 0; attempt < 2000; attempt++) {
            try {
                String text = Files.readString(children).strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text.split(" ")[0]);
                }
            } catch (IOException e) {
                return -1; // the parent is gone, and its child with it
            }
            if (ProcessHandle.of(parent).map(p -> !p.isAlive()).orElse(true)) {
                return -1;
            }
            Thread.onSpinWait();
            if (attempt > 100) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * Starts {@code launch} inside, in its directory (else {@code defaultDirectory}), as its account (switched
     * inside, by setpriv after nsenter), marked with {@code marker} (an environment entry its descendants inherit,
     * so that a tree can be stopped even after it detached).
     */
    SandboxedProcess spawn(Launch launch, NamespaceFds fds, String directory, String marker)
            throws IOException {
        List<String> command = new ArrayList<>(placement);
        command.addAll(List.of(Spawner.NSENTER,
                "--pid=" + HostNamespaces.fdPath(pidFd),
                "--mount=" + HostNamespaces.fdPath(root != null ? root.mountFd() : mntFd),
                "--net=" + HostNamespaces.fdPath(fds.net()), "--uts=" + HostNamespaces.fdPath(fds.uts()),
                "--ipc=" + HostNamespaces.fdPath(ipcFd),
                root != null ? root.workingDirectoryOption(directory) : "--wd=" + directory));
        if (launch.account() != null && root != null) {
            // A root filesystem need not have setpriv: nsenter switches user (without supplementary groups).
            command.addAll(launch.account().nsenterOptions());
        }
        command.add("--");
        if (launch.account() != null && root == null) {
            command.add(Spawner.SETPRIV);
            command.addAll(launch.account().setprivOptions());
            command.add("--");
        }
        command.addAll(launch.command());
        ProcessBuilder template = new ProcessBuilder(launch.command())
                .redirectInput(launch.stdin())
                .redirectOutput(launch.stdout())
                .redirectError(launch.stderr())
                .redirectErrorStream(launch.mergeStderr());
        template.environment().clear();
        template.environment().putAll(launch.environment());
        template.environment().put(SandboxedProcess.MARKER, marker);
        Process nsenter = Spawner.start(command, template, owner);
        return new SandboxedProcess(nsenter, this, marker);
    }

    /** The init's mount namespace (a root filesystem is built from it). */
    int initMountFd() {
        return mntFd;
    }

    /**
     * From now on processes join {@code root}'s mount namespace (null keeps the init's) and start behind
     * {@code placement} (a command that puts them in a cgroup, then execs the rest).
     */
    void confine(RootFilesystem root, List<String> placement) {
        this.root = root;
        this.placement = List.copyOf(placement);
    }

    /** Live processes inside that were started through {@link #spawn}, and their descendants. */
    List<ProcessHandle> members() {
        return members(null);
    }

    /**
     * Live processes inside that carry {@code marker} in their environment; for null, any mark (every started
     * process and its descendants, not the init and its own sleep).
     */
    List<ProcessHandle> members(String marker) {
        List<ProcessHandle> found = new ArrayList<>();
        byte[] wanted = ("\0" + SandboxedProcess.MARKER + "=" + (marker == null ? "" : marker + "\0"))
                .getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid == initPid || !pidIdentity.equals(ThreadsInNamespaces.link(process.resolve("ns/pid")))
                        || zombie(process)) {
                    continue;
                }
                if (carries(process, wanted)) {
                    ProcessHandle.of(pid).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    private static boolean carries(Path process, byte[] wanted) {
        try {
            byte[] environ = Files.readAllBytes(process.resolve("environ"));
            byte[] padded = new byte[environ.length + 1];
            System.arraycopy(environ, 0, padded, 1, environ.length); // so the first entry has a NUL before it
            outer:
            for (int i = 0; i + wanted.length <= padded.length; i++) {
                for (int j = 0; j < wanted.length; j++) {
                    if (padded[i + j] != wanted[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        } catch (IOException e) {
            // gone meanwhile
        }
        return false;
    }

    static boolean zombie(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return true; // gone
        }
    }

    /** SIGTERM to each, then SIGKILL to those left after {@code grace}; returns once none is left (bounded). */
    static void stop(List<ProcessHandle> processes, Duration grace, java.util.function.Supplier<List<ProcessHandle>> left) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        List<ProcessHandle> remaining = left.get();
        while (!remaining.isEmpty() && System.nanoTime() < deadline) {
            sleepMillis(5);
            remaining = left.get();
        }
        remaining.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Stops everything inside: SIGTERM to each process, SIGKILL to the init after {@code grace} (or at once when
     * nothing runs), which makes the kernel kill whatever is left; then waits (bounded) for the chain to end.
     */
    void close(Duration grace) {
        List<ProcessHandle> running = members();
        if (!running.isEmpty() && !grace.isZero()) {
            running.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + grace.toNanos();
            while (!members().isEmpty() && System.nanoTime() < deadline) {
                sleepMillis(5);
            }
        }
        if (chain.isAlive()) {
            // While the chain lives it has not reaped the init, so initPid is still the init.
            ProcessHandle.of(initPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
            chain.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LibC.close(pidFd);
        LibC.close(mntFd);
        LibC.close(ipcFd);
    }

    String owner() {
        return owner;
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
