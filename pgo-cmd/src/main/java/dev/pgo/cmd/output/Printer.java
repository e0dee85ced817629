package dev.pgo.cmd.output;

import dev.pgo.manifest.Manifests;

import java.io.PrintStream;
import java.util.List;

/** Prints resources as JSON or YAML in the resource schema: one object, or a v1 List of several. */
public final class Printer {
    private Printer() {
    }

    /**
     * {@code single}: one resource was asked for by name, so it prints as itself; otherwise (also
     * with none, as `show cluster all` on an empty platform) the items print as a List. Names
     * that were all not found print nothing: their errors say why.
     */
    public static void structured(PrintStream out, OutputFormat format, List<?> items, boolean single) {
        Object value;
        if (single && items.isEmpty()) {
            return;
        } else if (single && items.size() == 1) {
            value = items.getFirst();
        } else {
            var list = new java.util.LinkedHashMap<String, Object>();
            list.put("apiVersion", "v1");
            list.put("kind", "List");
            list.put("items", items);
            value = list;
        }
        if (format == OutputFormat.json) {
            out.print(Manifests.toJson(value));
        } else {
            out.print(Manifests.toYaml(value));
        }
    }
}
