package io.evkeygen.cli;

/** Stands in for the CLI in {@link LauncherScriptTest}'s jar: echoes its arguments, exits as told. */
public final class LauncherProbe {
    private LauncherProbe() {}

    /** Prints each argument on a line and the {@code probe} property; {@code --exit N} exits with N. */
    public static void main(String[] args) {
        for (String a : args) {
            System.out.println("arg:" + a);
        }
        System.out.println("probe:" + System.getProperty("probe"));
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--exit")) {
                System.exit(Integer.parseInt(args[i + 1]));
            }
        }
    }
}
