package dev.pgo.cmd.show;

import dev.pgo.cmd.output.OutputFormat;
import picocli.CommandLine.Option;

/** Output options every show command takes. */
public final class ShowOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "table (default), wide, json, yaml or name.")
    OutputFormat output = OutputFormat.table;

    @Option(names = "--no-headers", description = "Leave out table headers (for scripts).")
    boolean noHeaders;

    boolean structured() {
        return output == OutputFormat.json || output == OutputFormat.yaml;
    }
}
