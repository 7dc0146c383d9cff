package dev.isonet.cli;

import java.util.Arrays;

/** {@code java -jar isonet-junit-<v>-cli.jar doctor|bench [options]}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int status = switch (command) {
            case "doctor" -> Doctor.run(System.out);
            case "bench" -> dev.isonet.cli.bench.Bench.run(rest, System.out);
            default -> {
                System.out.println("usage: java -jar isonet-junit-<version>-cli.jar doctor");
                System.out.println("  doctor  check this machine, build a 2-node network, send TCP across it, tear it down");
                System.out.println("  bench   [--quick] [--reps N] [--sizes 2,10,50,200]  time networks against ip/nft shell-outs");
                yield command.equals("help") ? 0 : 2;
            }
        };
        System.exit(status);
    }
}
