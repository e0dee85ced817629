package dev.pgo.cmd;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** `pgo version`: pgo's own version and the Java it runs on. */
@Command(name = "version", description = "Print pgo's version and the Java runtime it uses.")
public final class VersionCommand implements Runnable {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    public VersionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            context.out().println(line);
        }
    }

    public static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/pgo-version.properties")) {
            if (in == null) {
                return "development";
            }
            var p = new Properties();
            p.load(in);
            return p.getProperty("version", "development");
        } catch (IOException e) {
            return "development";
        }
    }

    /** For `pgo --version` as well. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"pgo " + version(),
                    "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
