package io.evkeygen.cli;

/** Entry point of {@code evkeygen.jar}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("evkeygen: not implemented yet");
        System.exit(1);
    }
}
