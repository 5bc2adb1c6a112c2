package io.jwtgate.cli;

/** The process exit codes of every jwtgate command (docs/cli.md lists them). */
final class Exit {

    /** The command did what was asked (a gateway that was stopped or quit also exits with this). */
    static final int OK = 0;

    /** The configuration or the command line is wrong; nothing was started. */
    static final int CONFIG = 1;

    /**
     * Something failed while running: a listen socket could not be bound, a signal could not be sent, a reload was
     * not answered in time.
     */
    static final int RUNTIME = 2;

    /**
     * {@code -s reload}: the running gateway rejected the configuration (a socket it cannot bind, a file it cannot
     * read) and keeps serving the one it had.
     */
    static final int REJECTED = 3;

    private Exit() {
    }
}
