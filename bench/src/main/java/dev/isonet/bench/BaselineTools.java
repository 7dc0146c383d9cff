package dev.isonet.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The baselines need {@code ip} (iproute2), {@code nft} (nftables) and {@code sysctl} (procps). Isonet
 * itself needs none of them; the bench installs them with apt-get when they are missing and it can.
 */
final class BaselineTools {
    private static final List<String> TOOLS = List.of("ip", "nft", "sysctl");
    private static final String PACKAGES = "iproute2 nftables procps";
    private static final long APT_TIMEOUT_SECONDS = 300;

    private BaselineTools() {}

    /** Null when the tools are there (perhaps after installing them), else why the baselines are skipped. */
    static String ensure(PrintStream out) {
        List<String> missing = missing();
        if (missing.isEmpty()) {
            out.println("baseline tools: ip, nft, sysctl found");
            return null;
        }
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            return "missing " + missing + " and no apt-get to install " + PACKAGES;
        }
        out.println("baseline tools: missing " + missing + "; running apt-get install -y " + PACKAGES);
        String failure = apt("install");
        if (failure != null) {
            // A fresh machine may have no package lists yet.
            out.println("baseline tools: install failed (" + failure + "); running apt-get update first");
            String update = apt("update");
            failure = update != null ? update : apt("install");
        }
        missing = missing();
        if (missing.isEmpty()) {
            out.println("baseline tools: installed " + PACKAGES);
            return null;
        }
        return "missing " + missing + " after apt-get" + (failure == null ? "" : " (" + failure + ")");
    }

    private static String apt(String verb) {
        List<String> argv = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-q", verb));
        if (verb.equals("install")) {
            argv.add("-y");
            argv.addAll(List.of(PACKAGES.split(" ")));
        }
        try {
            new Command(argv, null).run(APT_TIMEOUT_SECONDS);
            return null;
        } catch (IOException e) {
            String message = e.getMessage();
            return message.length() > 300 ? message.substring(0, 300) + "..." : message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (String tool : TOOLS) {
            if (find(tool) == null) {
                missing.add(tool);
            }
        }
        return missing;
    }

    static String find(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path path = Path.of(dir, tool);
            if (Files.isExecutable(path)) {
                return path.toString();
            }
        }
        return null;
    }
}
