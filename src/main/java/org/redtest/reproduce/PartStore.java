package org.redtest.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.redtest.RedTestException;
import org.redtest.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The finished parts of a suite run, one JSON file each under {@code <suite>/parts/}, so that a killed suite
 * resumes after its last finished part (unfinished training resumes from its own checkpoints). A part saved
 * under another suite configuration is recomputed, not reused.
 */
final class PartStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).enable(SerializationFeature.INDENT_OUTPUT);
    private final Path directory;
    private final String fingerprint;

    PartStore(Path directory, String fingerprint) {
        this.directory = directory;
        this.fingerprint = fingerprint;
    }

    <T> Optional<T> load(String part, Class<T> type) {
        Path file = file(part);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (!fingerprint.equals(node.path("suite").asText())) {
                return Optional.empty();
            }
            return Optional.of(JSON.treeToValue(node.get("result"), type));
        } catch (IOException e) {
            // a part file cut short by a kill is simply recomputed
            return Optional.empty();
        }
    }

    void save(String part, Object result) {
        Path file = file(part);
        try {
            var node = JSON.createObjectNode();
            node.put("suite", fingerprint);
            node.set("result", JSON.valueToTree(result));
            AtomicFiles.write(file, out -> JSON.writeValue(out, node));
        } catch (IOException e) {
            throw new RedTestException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private Path file(String part) {
        return directory.resolve(part + ".json");
    }
}
