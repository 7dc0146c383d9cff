package dev.isonet.bench;

import java.util.Arrays;

/** {@code java -jar isonet-bench-<version>.jar bench [options]}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int status;
        if (command.equals("bench")) {
            status = Bench.run(rest, System.out);
        } else {
            System.out.println("usage: java -jar isonet-bench-<version>.jar bench [--quick] [--reps N] [--sizes 2,10,50,200]");
            System.out.println("  bench   time networks against ip/nft shell-outs, then cold start, overhead, data path, memory");
            status = command.equals("help") ? 0 : 2;
        }
        System.exit(status);
    }
}
