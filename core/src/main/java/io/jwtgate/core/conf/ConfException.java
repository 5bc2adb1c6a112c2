package io.jwtgate.core.conf;

/**
 * A configuration mistake. Its message is always {@code <reason> in <file>:<line>}, the form nginx uses, so that
 * {@code -t} and start-up print the same text.
 */
public final class ConfException extends Exception {

    private final String reason;
    private final String file;
    private final int line;

    public ConfException(String reason, String file, int line) {
        super(reason + " in " + file + ":" + line, null, false, false);
        this.reason = reason;
        this.file = file;
        this.line = line;
    }

    /** An error about the configuration as a whole, with no line (nginx prints these without a position too). */
    public ConfException(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
        this.file = null;
        this.line = 0;
    }

    public String reason() {
        return reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
