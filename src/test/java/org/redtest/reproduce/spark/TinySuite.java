package org.redtest.reproduce.spark;

import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.spark.SparkRuntime;
import org.redtest.spark.TaskFaults;
import org.redtest.testing.CliRun;
import org.redtest.testing.SharedSpark;
import org.redtest.testing.TinyData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reproduction suite named "tiny" on a few CIFAR-10 images, for the Spark engine tests: the same suite
 * wherever it runs (only its output directory differs), so the files of two runs can be compared. Opening
 * it hands the test JVM's shared Spark context to the engine; closing it takes that back and clears the
 * fault-injection setting.
 */
final class TinySuite implements AutoCloseable {
    private final Path dir;
    private final Path cifar;
    private final String parts;

    private TinySuite(Path dir, Path cifar, String parts) {
        this.dir = dir;
        this.cifar = cifar;
        this.parts = parts;
    }

    /** {@code parts}: the suite's own YAML lines (depth models, pruning targets, ...). */
    static TinySuite open(Path dir, String parts) throws Exception {
        CpuAcceleration.configure();
        Path cifar = TinyData.writeCifar10(dir.resolve("cifar"), 12, 4);
        SparkRuntime.provideContext(SharedSpark.context());
        return new TinySuite(dir, cifar, parts);
    }

    /** The suite's file, writing under {@code out}. */
    Path file(String out) throws Exception {
        Path file = dir.resolve(out + ".yaml");
        Files.writeString(file, """
                tier: cpu
                name: tiny
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                training: {epochs: 1, batch_size: 30, learning_rate: 0.05}
                measure: {batches: 1, batch_size: 12}
                """.formatted(dir.resolve(out), cifar) + parts);
        return file;
    }

    /** Where the suite written under {@code out} keeps its results. */
    Path directory(String out) {
        return dir.resolve(out).resolve("tiny");
    }

    /** {@code bench paper} on the suite written under {@code out}, with {@code more} arguments. */
    CliRun.Result paper(String out, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("bench", "paper", "--tier", "cpu", "--suite", file(out).toString()));
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }

    /** {@link #paper} with Spark tasks killed as {@code faults} says (see {@link TaskFaults}), for this run only. */
    CliRun.Result paperWithFaults(String faults, String out, String... more) throws Exception {
        System.setProperty(TaskFaults.PROPERTY, faults);
        try {
            return paper(out, more);
        } finally {
            System.clearProperty(TaskFaults.PROPERTY);
        }
    }

    @Override
    public void close() {
        SparkRuntime.provideContext(null);
        System.clearProperty(TaskFaults.PROPERTY);
    }
}
