package dev.pgo.cmd.complete;

import picocli.CommandLine.Model.ArgSpec;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the command model itself says a parameter takes: listed values, or a file name. */
final class ModelValues {
    private ModelValues() {
    }

    /** The parameter's completion candidates, else its enum constants, else none. */
    static List<String> listed(ArgSpec arg) {
        var values = new ArrayList<String>();
        if (arg.completionCandidates() != null) {
            arg.completionCandidates().forEach(values::add);
        } else if (arg.typeInfo().isEnum()) {
            values.addAll(arg.typeInfo().getEnumConstantNames());
        }
        return values;
    }

    static boolean isPath(ArgSpec arg) {
        Class<?> type = arg.typeInfo().getType();
        return Path.class.isAssignableFrom(type) || File.class.isAssignableFrom(type)
                || "FILE".equals(arg.paramLabel()) || "DIR".equals(arg.paramLabel());
    }
}
