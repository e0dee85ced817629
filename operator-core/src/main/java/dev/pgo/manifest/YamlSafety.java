package dev.pgo.manifest;

import dev.pgo.PgoException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

import java.io.StringReader;

/**
 * Checks a manifest's YAML events before Jackson binds it. Aliases are refused: Jackson would
 * read {@code *name} as the string "name", and expanding them is how alias bombs work;
 * manifests never need them. Parameters written with no value are refused too, since an empty
 * setting would only fail later when the server starts.
 */
final class YamlSafety {
    private YamlSafety() {
    }

    static void check(String text, String source) {
        var options = new LoaderOptions();
        options.setMaxAliasesForCollections(0);
        options.setCodePointLimit(Math.max(text.length() + 1, 1));
        options.setNestingDepthLimit(50);
        try {
            // The parser alone: a Yaml object would also build its constructor and representer,
            // which costs a new JVM more than reading the events does.
            Parser parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
            for (Event event = parser.getEvent(); event != null; event = parser.getEvent()) {
                if (event instanceof AliasEvent alias) {
                    throw new PgoException(source + ": line " + (alias.getStartMark().getLine() + 1)
                            + ": YAML aliases (*" + alias.getAnchor() + ") are not allowed in manifests; write the value out");
                }
                if (event instanceof ScalarEvent scalar && scalar.getAnchor() != null) {
                    // an anchor alone is harmless, but only useful with an alias, which is refused above
                    continue;
                }
            }
        } catch (MarkedYAMLException e) {
            throw new PgoException(source + ": line " + (e.getProblemMark() == null ? "?" : e.getProblemMark().getLine() + 1)
                    + ": not valid YAML (" + e.getProblem() + ")");
        } catch (YAMLException e) {
            throw new PgoException(source + ": not valid YAML (" + e.getMessage() + ")");
        }
    }
}
