package org.redtest.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.redtest.RedTestException;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads experiment YAML strictly: snake_case keys, unknown keys and wrong types rejected with a
 * one-line message that names the key and where it is.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // `model` twice is an error, not "the last wins"
            .build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // `epochs: 1.5` is an error, not 1
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper CANONICAL_JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private static final java.util.regex.Pattern NON_FINITE =
            java.util.regex.Pattern.compile("'[-+]?\\.(nan|inf)'", java.util.regex.Pattern.CASE_INSENSITIVE);

    private static final java.util.regex.Pattern LOSSY =
            java.util.regex.Pattern.compile("^Cannot coerce Floating-point value \\(([^)]*)\\)");

    /** The largest settings file read, comments included. */
    public static final long MAX_BYTES = 1L << 20;

    private ConfigLoader() {
    }

    /** A loaded experiment with its source text and a hash of its canonical (parsed) form. */
    public record LoadedConfig(ExperimentConfig config, String text, String hash) {
        /**
         * The same file's text and hash with {@code narrowed} settings, e.g. only its train stage, or another
         * engine: neither changes the hash (see {@link ConfigLoader#hash}), so the run keeps its name and identity.
         */
        public LoadedConfig with(ExperimentConfig narrowed) {
            return new LoadedConfig(narrowed.validate(), text, hash);
        }

        /** Whether the file itself has this top-level section (defaults filled in later do not count). */
        public boolean hasSection(String key) {
            try {
                com.fasterxml.jackson.databind.JsonNode tree = YAML.readTree(text);
                return tree != null && tree.isObject() && tree.hasNonNull(key);
            } catch (JsonProcessingException e) {
                return false;
            }
        }

        /**
         * Refuses a config whose stages need a section the file lacks. The search stage needs
         * {@code search:}: with only defaults it would train all 15,625 NATS cells into the database.
         */
        public LoadedConfig requireSectionsFor(java.util.List<StageName> stages, String source) {
            if (stages.contains(StageName.SEARCH) && !hasSection("search")) {
                throw new RedTestException("the search stage needs a 'search' section in " + source
                        + " (at least search.sample or search.strategy); without one it would train all 15,625 cells");
            }
            return this;
        }
    }

    public static LoadedConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RedTestException("config file not found: " + file);
        }
        return parse(readLimited(file, "config file"), file.toString());
    }

    public static LoadedConfig parse(String text, String source) {
        ExperimentConfig config = bind(text, source, ExperimentConfig.class);
        config.validate();
        return new LoadedConfig(config, text, hash(config)).requireSectionsFor(config.stages(), source);
    }

    /**
     * A config built in code (from flags, or a suite) as if it had been read: validated, with its YAML
     * text (what the run records) and hash. No round trip through the text: the values are already typed.
     */
    public static LoadedConfig of(ExperimentConfig config, String source) {
        config.validate();
        return new LoadedConfig(config, toYaml(config), hash(config)).requireSectionsFor(config.stages(), source);
    }

    /** Reads {@code file} strictly into {@code type} (any snake_case YAML record), with the same messages as configs. */
    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new RedTestException("file not found: " + file);
        }
        return bind(readLimited(file, "file"), file.toString(), type);
    }

    /**
     * The whole file, comments included, at most {@link #MAX_BYTES}: the YAML parser's own limit counts only what it
     * keeps, so a 50 MB file of comments was read and stored with every run.
     */
    private static String readLimited(Path file, String what) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new RedTestException(what + " " + file + " is " + String.format(java.util.Locale.ROOT, "%,d", size)
                        + " bytes; settings files are limited to " + String.format(java.util.Locale.ROOT, "%,d", MAX_BYTES)
                        + " bytes (1 MiB), comments included");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RedTestException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static <T> T bind(String text, String source, Class<T> type) {
        if (text.isBlank()) {
            throw new RedTestException("config " + source + " is empty");
        }
        T config;
        try {
            YAML.readTree(text); // syntax first: binding stops at the first type mismatch, before a later syntax error
            config = YAML.readValue(text, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known keys: " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new RedTestException("unknown key '" + path(e) + "' in " + source + location(e, text) + known);
        } catch (JsonMappingException e) {
            RedTestException wrongWord = userError(e);
            if (wrongWord != null) { // e.g. an unknown stage or pruning method: the word's own message lists the known ones
                throw new RedTestException("invalid value for '" + path(e) + "' in " + source + location(e, text) + ": "
                        + wrongWord.getMessage(), e);
            }
            MarkedYAMLException syntax = yamlSyntaxError(e);
            if (syntax != null) {
                throw new RedTestException("malformed YAML in " + source + " (line " + (syntax.getProblemMark().getLine() + 1)
                        + "): " + (syntax.getContext() == null ? "" : syntax.getContext() + ", ") + syntax.getProblem());
            }
            String where = path(e).isEmpty() ? "the top level (expected a mapping of keys)" : "'" + path(e) + "'";
            java.util.regex.Matcher lossy = LOSSY.matcher(firstLine(e.getOriginalMessage()));
            String why = lossy.find() ? "a whole number is required, got " + lossy.group(1)
                    : e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                    && mismatch.getTargetType() != null ? expected(mismatch) : firstLine(e.getOriginalMessage());
            throw new RedTestException("invalid value for " + where + " in " + source + location(e, text) + ": " + why);
        } catch (JsonProcessingException e) {
            String message = firstLine(e.getOriginalMessage());
            String key = parserKey(e);
            if (message.startsWith("Duplicate field")) {
                throw new RedTestException("duplicate key '" + key + "' in " + source + location(e)
                        + ": each key may appear once per section");
            }
            if (!key.isEmpty() && NON_FINITE.matcher(message).find()) {
                throw new RedTestException("invalid value for '" + key + "' in " + source + location(e) + ": "
                        + "NaN and infinities (.nan, .inf) are not accepted, give a finite number");
            }
            throw new RedTestException("malformed YAML in " + source + location(e) + ": " + message);
        }
        if (config == null) {
            throw new RedTestException("config " + source + " is empty");
        }
        return config;
    }

    /**
     * A type mismatch in our words ("a whole number is required, got 'four'"), not Jackson's ("Cannot
     * deserialize value of type `java.lang.Integer` from String"), which names Java types a config's author
     * never sees.
     */
    private static String expected(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        Class<?> t = e.getTargetType();
        String what = t == Integer.class || t == int.class || t == Long.class || t == long.class ? "a whole number"
                : t == Double.class || t == double.class || t == Float.class || t == float.class ? "a number"
                : t == Boolean.class || t == boolean.class ? "true or false"
                : t == String.class ? "a single value (text)"
                : java.util.Collection.class.isAssignableFrom(t) || t.isArray() ? "a list, e.g. [a, b]"
                : java.util.Map.class.isAssignableFrom(t) || t.isRecord() ? "a section of keys (key: value lines)"
                : "a value of another kind";
        Object got = e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f ? f.getValue() : null;
        return what + " is required" + (got == null ? "" : ", got '" + got + "'");
    }

    /**
     * SHA-256 of what determines a trained model: name, model, seed, data and training sections, with
     * defaults filled in. Formatting, comments, the stage list, measurement and pruning options, output
     * locations and the device do not change it, so `train --config F` and `run F` name the same run.
     */
    public static String hash(ExperimentConfig config) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode tree = CANONICAL_JSON.valueToTree(config);
            tree.remove(java.util.List.of("stages", "measure", "prune", "search", "output_dir", "database", "device"));
            byte[] canonical = CANONICAL_JSON.writeValueAsBytes(tree);
            return org.redtest.io.Sha256.hex(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The YAML text of a config built in code (e.g. from command-line flags), non-null keys only. */
    public static String toYaml(ExperimentConfig config) {
        try {
            return YAML.copy().setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                    .writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toJson(Object value) {
        try {
            return CANONICAL_JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #toJson(Object)}, without the top-level keys {@code leftOut} (a record's snake_case names). */
    public static String toJson(Object value, java.util.Collection<String> leftOut) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode tree = CANONICAL_JSON.valueToTree(value);
            tree.remove(leftOut);
            return CANONICAL_JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code text} (YAML or JSON) strictly into {@code type}, as {@link #read} does a file; {@code source} names it in messages. */
    public static <T> T readText(String text, String source, Class<T> type) {
        return bind(text, source, type);
    }

    /** The user error a value's own parser raised (a {@link org.redtest.Choice}'s unknown word), or null. */
    private static RedTestException userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedTestException r) {
                return r;
            }
        }
        return null;
    }

    /** SnakeYAML's syntax errors can arrive wrapped in a mapping exception; find them to report them as such. */
    private static MarkedYAMLException yamlSyntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                return m;
            }
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** The dotted key the parser was at when it stopped ("" when unknown or at the top level). */
    private static String parserKey(JsonProcessingException e) {
        return e.getProcessor() instanceof JsonParser parser ? contextPath(parser) : "";
    }

    /** The dotted path (with [i] for list items) of where {@code parser} is now. */
    private static String contextPath(JsonParser parser) {
        java.util.LinkedList<String> parts = new java.util.LinkedList<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                if (c.getCurrentName() != null) {
                    parts.addFirst(c.getCurrentName());
                }
            } else if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        return String.join(".", parts).replace(".[", "[");
    }

    /**
     * Where the key of a binding error is written. Records are bound through a buffer, so the exception's own
     * location is where the buffered section ended (an unknown key on line 1 was reported at the last line);
     * the key's line is found by walking the text's tokens to its path instead.
     */
    private static String location(JsonMappingException e, String text) {
        String target = path(e);
        if (!target.isEmpty()) {
            try (JsonParser p = YAML.getFactory().createParser(text)) {
                for (var token = p.nextToken(); token != null; token = p.nextToken()) {
                    if (token == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && contextPath(p).equals(target)) {
                        return " (line " + p.currentTokenLocation().getLineNr() + ")";
                    }
                }
            } catch (IOException malformed) {
                // the text parsed once already; fall back to what the exception says
            }
        }
        return location(e);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
