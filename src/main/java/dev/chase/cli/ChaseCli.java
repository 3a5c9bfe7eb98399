package dev.chase.cli;

/** Entry point of the {@code chase} command line (placeholder until the CLI lands). */
public final class ChaseCli {
    private ChaseCli() {}

    public static void main(String[] args) {
        System.out.println("chase");
    }
}
