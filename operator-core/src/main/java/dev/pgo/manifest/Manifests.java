package dev.pgo.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads and writes PgCluster manifests in the Kubernetes resource schema, strictly: unknown
 * fields, wrong types, duplicate keys and alias bombs are refused with the line they are on.
 */
public final class Manifests {
    private static final int MAX_DOCUMENT_CHARS = 1_000_000;

    private static final ObjectMapper YAML = configure(new ObjectMapper(yamlFactory()));
    private static final ObjectMapper JSON = configure(new ObjectMapper());

    private Manifests() {
    }

    private static YAMLFactory yamlFactory() {
        var loader = new LoaderOptions();
        loader.setAllowDuplicateKeys(false);
        loader.setMaxAliasesForCollections(20);
        loader.setCodePointLimit(MAX_DOCUMENT_CHARS);
        loader.setNestingDepthLimit(50);
        return YAMLFactory.builder()
                .loaderOptions(loader)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(50).build())
                .build();
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.enable(SerializationFeature.INDENT_OUTPUT);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return mapper;
    }

    /** Parses every PgCluster document in a YAML (or JSON) text; {@code source} names it in errors. */
    public static List<PgCluster> parse(String text, String source) {
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw new PgoException(source + " is larger than " + MAX_DOCUMENT_CHARS + " characters");
        }
        var clusters = new ArrayList<PgCluster>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(text)) {
            var iterator = YAML.readValues(parser, java.util.Map.class);
            while (iterator.hasNextValue()) {
                Object document = iterator.nextValue();
                if (document != null) {
                    clusters.add(fromTree(YAML.valueToTree(document), source));
                }
            }
        } catch (JsonProcessingException e) {
            throw new PgoException(source + ": " + describe(e), "the manifest must be a PgCluster (apiVersion "
                    + PgCluster.API_VERSION + ", kind " + PgCluster.KIND + ")");
        } catch (RuntimeException e) {
            if (e instanceof PgoException pgo) {
                throw pgo;
            }
            Throwable cause = e.getCause() instanceof JsonProcessingException j ? j : e;
            throw new PgoException(source + ": " + (cause instanceof JsonProcessingException j ? describe(j)
                    : "not valid YAML (" + firstLine(cause.getMessage()) + ")"));
        } catch (IOException e) {
            throw new PgoException(source + ": cannot read (" + e.getMessage() + ")");
        }
        if (clusters.isEmpty()) {
            throw new PgoException(source + " holds no manifest");
        }
        return clusters;
    }

    private static PgCluster fromTree(com.fasterxml.jackson.databind.JsonNode tree, String source) {
        String apiVersion = tree.path("apiVersion").asText("");
        String kind = tree.path("kind").asText("");
        if (!PgCluster.KIND.equals(kind) || !PgCluster.API_VERSION.equals(apiVersion)) {
            throw new PgoException(source + ": expected apiVersion " + PgCluster.API_VERSION + " and kind "
                    + PgCluster.KIND + ", found apiVersion '" + apiVersion + "' and kind '" + kind + "'");
        }
        try {
            return YAML.treeToValue(tree, PgCluster.class);
        } catch (JsonProcessingException e) {
            throw new PgoException(source + ": " + describe(e));
        }
    }

    /** Reads one stored manifest (written by pgo itself). */
    public static PgCluster read(String yaml, String source) {
        List<PgCluster> all = parse(yaml, source);
        return all.getFirst();
    }

    /** Reads a value pgo wrote itself (status, a Secret) with the same strict rules. */
    public static <T> T readAs(String yaml, Class<T> type, String source) {
        try {
            return YAML.readValue(yaml, type);
        } catch (JsonProcessingException e) {
            throw new PgoException(source + ": " + describe(e));
        }
    }

    public static String toYaml(Object resource) {
        try {
            return YAML.writeValueAsString(resource);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    public static String toJson(Object resource) {
        try {
            return JSON.writeValueAsString(resource) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A deep copy, so stored state is never shared with a caller that edits it. */
    public static PgCluster copy(PgCluster cluster) {
        return JSON.convertValue(cluster, PgCluster.class);
    }

    static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
        String path = e instanceof JsonMappingException m ? path(m) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : " (known fields: " + u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            return where + "unknown field '" + u.getPropertyName() + "'" + (path.isEmpty() ? "" : " in " + parent(path))
                    + known;
        }
        if (e instanceof InvalidFormatException f) {
            return where + path + ": '" + f.getValue() + "' is not a valid " + f.getTargetType().getSimpleName()
                    .toLowerCase(java.util.Locale.ROOT);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + path + ": wrong type, expected " + typeName(m.getTargetType());
        }
        return where + firstLine(e.getOriginalMessage());
    }

    private static String typeName(Class<?> type) {
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        return "an object";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "the top level" : path.substring(0, dot);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
