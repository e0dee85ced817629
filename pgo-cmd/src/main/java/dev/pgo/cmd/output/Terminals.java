package dev.pgo.cmd.output;

/** Whether output goes to a person at a terminal (and may be redrawn or coloured). */
public final class Terminals {
    private Terminals() {
    }

    public static boolean isInteractive() {
        var console = System.console();
        return console != null && console.isTerminal() && System.getenv("NO_COLOR") == null;
    }
}
