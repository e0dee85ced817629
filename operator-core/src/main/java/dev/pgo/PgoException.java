package dev.pgo;

/**
 * A failure pgo can explain to a DBA: the message says what went wrong, the hint what to do.
 * Messages never carry passwords.
 */
public class PgoException extends RuntimeException {
    private final String hint;

    public PgoException(String message) {
        this(message, null, null);
    }

    public PgoException(String message, String hint) {
        this(message, hint, null);
    }

    public PgoException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }
}
