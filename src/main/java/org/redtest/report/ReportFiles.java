package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.redtest.RedTestException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reading a run directory's files for the report, each failure a one-line error naming the file. */
final class ReportFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportFiles() {
    }

    static Optional<JsonNode> json(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new RedTestException("cannot read " + file + " (corrupt JSON?): " + e.getMessage(), e);
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RedTestException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RedTestException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Files directly in {@code dir} whose names start with {@code prefix} and end with {@code suffix}, sorted. */
    static List<Path> list(Path dir, String prefix, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(suffix))
                    .sorted().toList();
        } catch (IOException e) {
            throw new RedTestException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** PNGs in the directory and its subdirectories (e.g. each pruned model's heatmap), sorted. */
    static List<Path> pngs(Path dir) {
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> p.toString().endsWith(".png")).map(Path::normalize).sorted().toList();
        } catch (IOException e) {
            throw new RedTestException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
