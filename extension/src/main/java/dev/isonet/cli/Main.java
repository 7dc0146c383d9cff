package dev.isonet.cli;

import java.util.List;

/** {@code java -jar isonet-junit-<version>-cli.jar doctor [--verbose]}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        List<String> options = List.of(args).subList(Math.min(1, args.length), args.length);
        int status = switch (command) {
            case "doctor" -> options.isEmpty() || options.equals(List.of("--verbose"))
                    ? Doctor.run(System.out, !options.isEmpty()) : usage(2);
            case "help", "--help", "-h" -> usage(0);
            default -> usage(2);
        };
        System.exit(status);
    }

    private static int usage(int status) {
        System.out.println("usage: java -jar isonet-junit-<version>-cli.jar doctor [--verbose]");
        System.out.println("  doctor  check this machine, build a 2-node network, send TCP across it, tear it down;");
        System.out.println("          --verbose prints the stack trace of a failed step");
        System.out.println("(the benchmark is in its own jar: java -jar bench/target/isonet-bench-<version>.jar bench)");
        return status;
    }
}
