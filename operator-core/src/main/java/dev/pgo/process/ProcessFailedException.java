package dev.pgo.process;

import dev.pgo.PgoException;

/** An external program exited with an error or ran past its timeout. */
public class ProcessFailedException extends PgoException {
    private final transient ProcessResult result;

    public ProcessFailedException(String message, String hint, ProcessResult result) {
        super(message, hint);
        this.result = result;
    }

    /** The result, or null when the program never started or timed out. */
    public ProcessResult result() {
        return result;
    }
}
