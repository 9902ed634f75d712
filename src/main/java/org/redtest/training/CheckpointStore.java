package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.redtest.RedTestException;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.NetworkBlueprint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A run directory's files, always replaced atomically: written to a temporary file, flushed to disk,
 * then renamed over the old one. A crash mid-write leaves the previous good file in place.
 */
public final class CheckpointStore {
    public static final String MODEL_FILE = "model.zip";
    public static final String METADATA_FILE = "run.json";
    /**
     * The metrics of every epoch the checkpoint has completed, written before {@code model.zip} is
     * replaced: whatever instant a run is killed at, the log holds every epoch the checkpoint holds,
     * and a resume restores any of them the database lacks.
     */
    public static final String EPOCH_LOG_FILE = "epochs.json";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Path directory;

    public CheckpointStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public Path modelFile() {
        return directory.resolve(MODEL_FILE);
    }

    public Path metadataFile() {
        return directory.resolve(METADATA_FILE);
    }

    public boolean hasModel() {
        return Files.exists(modelFile());
    }

    /** Saves the graph with its updater state (momentum buffers), so training resumes exactly. */
    public void saveModel(ComputationGraph graph) {
        Path tmp = temporary(MODEL_FILE);
        try {
            ModelSerializer.writeModel(graph, tmp.toFile(), true);
            commit(tmp, modelFile());
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new RedTestException("cannot write checkpoint " + modelFile() + ": " + e.getMessage(), e);
        }
    }

    public Optional<ComputationGraph> loadModel() {
        return hasModel() ? Optional.of(load(modelFile())) : Optional.empty();
    }

    /**
     * Loads a checkpoint that should hold {@code expected} (the model its run.json or experiment names): the one
     * check every command that loads a checkpoint makes, so a model.zip copied into another run's directory is
     * never trained, evaluated or measured under that run's name. The file is left untouched either way.
     */
    public static ComputationGraph load(Path file, NetworkBlueprint expected) {
        ComputationGraph graph = load(file);
        try {
            requireMatches(graph, expected, file);
        } catch (RedTestException e) {
            graph.close();
            throw e;
        }
        return graph;
    }

    /** Refuses a graph whose parameters are not those of {@code expected}, naming both counts. */
    public static void requireMatches(ComputationGraph graph, NetworkBlueprint expected, Path file) {
        long params = Dl4jGraphFactory.expectedParameterCount(expected);
        if (graph.numParams() != params) {
            throw new RedTestException("checkpoint " + file + " holds a model with " + graph.numParams()
                    + " parameters, but " + expected.spec() + " has " + params + "; it was left untouched");
        }
    }

    /** Loads any checkpoint file; a missing, truncated or foreign file gives a one-line error. */
    public static ComputationGraph load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RedTestException("checkpoint not found: " + file);
        }
        ComputationGraph graph;
        try {
            graph = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        } catch (Exception | OutOfMemoryError e) {
            throw new RedTestException("checkpoint " + file + " is corrupt or truncated and cannot be loaded ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
                    + "); it was left untouched", e);
        }
        return graph;
    }

    /** Replaces {@code epochs.json} atomically with these records (epochs 1..k, in order). */
    public void writeEpochLog(java.util.List<EpochRecord> records) {
        try {
            writeText(EPOCH_LOG_FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(records));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The epoch log, empty when there is none (a run from before the log existed, or a fresh one). */
    public java.util.List<EpochRecord> readEpochLog() {
        Path file = directory.resolve(EPOCH_LOG_FILE);
        return readText(EPOCH_LOG_FILE).map(json -> {
            try {
                return java.util.List.of(JSON.readValue(json, EpochRecord[].class));
            } catch (IOException e) {
                throw new RedTestException("epoch log " + file + " is unreadable (" + firstLine(String.valueOf(e.getMessage()))
                        + "); move it away to resume without it", e);
            }
        }).orElse(java.util.List.of());
    }

    public void writeText(String fileName, String text) {
        Path tmp = temporary(fileName);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            commit(tmp, directory.resolve(fileName));
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new RedTestException("cannot write " + directory.resolve(fileName) + ": " + e.getMessage(), e);
        }
    }

    public Optional<String> readText(String fileName) {
        Path file = directory.resolve(fileName);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RedTestException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Path temporary(String fileName) {
        try {
            Files.createDirectories(directory);
            // Hidden, per-process name: never read back, and two processes never share one. Whatever a killed
            // writer left there (a link included) is removed, so the write below never goes through a link.
            Path tmp = directory.resolve("." + fileName + "." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(tmp);
            return tmp;
        } catch (IOException e) {
            throw new RedTestException("cannot create run directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void commit(Path tmp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        CrashPoints.reach(CrashPoints.BEFORE_RENAME + target.getFileName());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover .tmp file is harmless: it is never read
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
