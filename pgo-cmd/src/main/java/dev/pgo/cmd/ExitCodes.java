package dev.pgo.cmd;

/** pgo's exit codes, the same for every command. */
public final class ExitCodes {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** It failed: a bad spec, a missing cluster, a server that would not start. */
    public static final int ERROR = 1;
    /** The command line itself was wrong: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** pgo itself failed where it should not (a bug): sysexits' EX_SOFTWARE. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
