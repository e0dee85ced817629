package dev.pgo.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
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
                // "work_mem:" with no value is YAML's null, not an empty setting
                .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                // Every string is quoted, so values such as 1e3, 0x1F or .inf read back as the
                // strings they are rather than as numbers.
                .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(50).build())
                .build();
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
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
        YamlSafety.check(text, source);
        // First pass: which documents are there and are they PgClusters? Second pass: bind each
        // from the text itself, so an error names the line it is on.
        List<Boolean> present = reading(source, () -> documentsPresent(text, source));
        List<PgCluster> clusters = reading(source, () -> bind(text, present, source));
        if (clusters.isEmpty()) {
            throw new PgoException(source + " holds no manifest");
        }
        return clusters;
    }

    private static List<Boolean> documentsPresent(String text, String source) throws IOException {
        var present = new ArrayList<Boolean>();
        try (MappingIterator<JsonNode> trees = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (trees.hasNextValue()) {
                JsonNode tree = trees.nextValue();
                boolean isDocument = tree != null && !tree.isNull() && !tree.isMissingNode()
                        && !(tree.isTextual() && tree.asText().isEmpty());
                if (isDocument) {
                    requirePgCluster(tree, source);
                }
                present.add(isDocument);
            }
        }
        return present;
    }

    private static List<PgCluster> bind(String text, List<Boolean> present, String source) throws IOException {
        var clusters = new ArrayList<PgCluster>();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            var reader = YAML.readerFor(PgCluster.class);
            for (int index = 0; parser.nextToken() != null; index++) {
                if (index >= present.size() || !present.get(index)) {
                    parser.skipChildren();
                    continue;
                }
                PgCluster cluster = reader.readValue(parser);
                refuseUnknownMetadata(cluster, source);
                clusters.add(cluster);
            }
        }
        return clusters;
    }

    private interface Reading<T> {
        T run() throws IOException;
    }

    /** Runs one pass over a manifest's text, turning every parser error into a message for people. */
    private static <T> T reading(String source, Reading<T> pass) {
        try {
            return pass.run();
        } catch (JsonProcessingException e) {
            throw refused(source, e);
        } catch (IOException e) {
            throw new PgoException(source + ": cannot read (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw e instanceof PgoException pgo ? pgo : refused(source, e);
        }
    }

    private static PgoException refused(String source, Exception e) {
        Throwable cause = e.getCause() instanceof JsonProcessingException j ? j : e;
        String detail = cause instanceof JsonProcessingException j ? describe(j)
                : "not valid YAML (" + firstLine(cause.getMessage()) + ")";
        // an error in a field says which; the hint is for text that is no PgCluster at all
        boolean inField = cause instanceof JsonMappingException m && !m.getPath().isEmpty()
                || cause instanceof StreamReadException r && !fieldOf(r).isEmpty();
        return inField ? new PgoException(source + ": " + detail)
                : new PgoException(source + ": " + detail, "the manifest must be a PgCluster (apiVersion "
                + PgCluster.API_VERSION + ", kind " + PgCluster.KIND + ")");
    }

    private static void requirePgCluster(JsonNode tree, String source) {
        if (!tree.isObject()) {
            throw new PgoException(source + ": each document must be a mapping (a PgCluster manifest), not "
                    + (tree.isArray() ? "a list" : "a single value"));
        }
        String apiVersion = tree.path("apiVersion").asText("");
        String kind = tree.path("kind").asText("");
        if (!PgCluster.KIND.equals(kind) || !PgCluster.API_VERSION.equals(apiVersion)) {
            throw new PgoException(source + ": expected apiVersion " + PgCluster.API_VERSION + " and kind "
                    + PgCluster.KIND + ", found apiVersion '" + apiVersion + "' and kind '" + kind + "'");
        }
    }

    /** ObjectMeta keeps unknown fields instead of failing; a typo there must not pass silently. */
    private static void refuseUnknownMetadata(PgCluster cluster, String source) {
        var extra = cluster.getMetadata() == null ? null : cluster.getMetadata().getAdditionalProperties();
        if (extra != null && !extra.isEmpty()) {
            throw new PgoException(source + ": unknown field '" + extra.keySet().iterator().next() + "' in metadata"
                    + " (known fields include name, namespace, labels, annotations)");
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
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : "line " + e.getLocation().getLineNr() + ": ";
        String path = e instanceof JsonMappingException m ? path(m) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : " (known fields: " + u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            return where + "unknown field '" + u.getPropertyName() + "'" + (path.isEmpty() ? "" : " in " + parent(path))
                    + known;
        }
        if (e instanceof InvalidFormatException f) {
            String expected = typeName(f.getTargetType());
            return where + path + ": '" + f.getValue() + "' is not " + (expected.equals("an object")
                    ? "a valid " + f.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT) : expected);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + path + ": wrong type, expected " + typeName(m.getTargetType());
        }
        if (e instanceof InputCoercionException c) {
            // a number too large for its field: the parser knows where it was, not the binder
            String field = fieldOf(c);
            // the parser has moved on; its message holds the value: "Numeric value (N) out of range"
            var value = java.util.regex.Pattern.compile("\\(([-+0-9.eE]+)\\)").matcher(c.getOriginalMessage());
            String number = value.find() ? "'" + value.group(1) + "' " : "";
            return where + (field.isEmpty() ? "" : field + ": ") + number + "is out of range (at most "
                    + (c.getTargetType() == long.class || c.getTargetType() == Long.class ? Long.MAX_VALUE : Integer.MAX_VALUE)
                    + ")";
        }
        if (e instanceof StreamConstraintsException) {
            return where + "nested too deeply (a manifest needs a few levels, at most 50 are read)";
        }
        return where + firstLine(e.getOriginalMessage());
    }

    /** The field a parser error happened in, as spec.instances; empty when it was not in one. */
    private static String fieldOf(StreamReadException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return "";
        }
        var names = new java.util.ArrayDeque<String>();
        for (var context = parser.getParsingContext(); context != null; context = context.getParent()) {
            if (context.getCurrentName() != null) {
                names.addFirst(context.getCurrentName());
            }
        }
        return String.join(".", names);
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
