package dev.pgo.cmd.output;

import dev.pgo.manifest.Manifests;

import java.io.PrintStream;
import java.util.List;

/** Prints resources as JSON or YAML in the resource schema: one object, or a v1 List of several. */
public final class Printer {
    private Printer() {
    }

    public static void structured(PrintStream out, OutputFormat format, List<?> items, boolean single) {
        Object value = items.getFirst();
        if (!single || items.size() != 1) {
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
