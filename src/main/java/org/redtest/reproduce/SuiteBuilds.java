package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one-build rule of a suite directory: {@code build.txt} names the build (commit) that started the suite, and
 * a later invocation from another build is refused while the directory holds work (saved parts or trained
 * models), because one table would then mix numbers of two builds. {@code allowMixed} lets it through and
 * records the new build, and the table names every build.
 */
final class SuiteBuilds {
    private static final Logger LOG = LoggerFactory.getLogger(SuiteBuilds.class);
    static final String FILE = "build.txt";
    /** Stands for the build of work done before suites recorded their build. */
    static final String UNRECORDED = "unrecorded";

    private SuiteBuilds() {
    }

    /** The builds the suite's work comes from, {@code current} last; throws when another build's work is there. */
    static List<String> check(Path directory, String current, boolean allowMixed) {
        Path file = directory.resolve(FILE);
        List<String> recorded = new ArrayList<>(read(file));
        if (recorded.isEmpty() && holdsWork(directory)) {
            recorded.add(UNRECORDED);
        }
        if (recorded.contains(current)) {
            return recorded;
        }
        if (!recorded.isEmpty() && !allowMixed) {
            throw new RedTestException("suite directory " + directory + " holds work of build " + String.join(", ", recorded)
                    + ", and this is build " + current + ": one table must come from one build. Move the directory away "
                    + "to start afresh, or pass --allow-mixed-builds to go on (the table then names both builds).");
        }
        if (!recorded.isEmpty()) {
            LOG.warn("suite {}: mixing build {} into work of build {} (--allow-mixed-builds)", directory, current, recorded);
        }
        if (current.equals("unknown")) {
            LOG.warn("this build does not know its commit (built outside a git checkout): one-build runs cannot be checked");
        }
        recorded.add(current);
        write(file, recorded);
        return recorded;
    }

    private static List<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new RedTestException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, List<String> builds) {
        try {
            AtomicFiles.writeString(file, String.join("\n", builds) + "\n");
        } catch (IOException e) {
            throw new RedTestException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Saved parts, or a model directory with training checkpoints. */
    private static boolean holdsWork(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(directory, 3)) {
            return files.anyMatch(f -> {
                String name = f.getFileName().toString();
                return name.equals("epochs.json") || name.equals("model.zip")
                        || (name.endsWith(".json") && f.getParent().getFileName().toString().equals("parts"));
            });
        } catch (IOException e) {
            throw new RedTestException("cannot read suite directory " + directory + ": " + e.getMessage(), e);
        }
    }
}
