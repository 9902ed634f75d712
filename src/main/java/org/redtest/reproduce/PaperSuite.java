package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.TrainingConfig;
import org.redtest.data.DataLoader;
import org.redtest.data.LoadedData;
import org.redtest.storage.ResultsDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a reproduction suite end to end: structure rows, MSRS against depth, pruning, NAS and performance,
 * then writes {@code paper.md}, {@code paper.json} and the figures into the suite directory. Each finished
 * part is saved, so running the same command again after a kill goes on from where it stopped.
 */
public final class PaperSuite {
    private static final Logger LOG = LoggerFactory.getLogger(PaperSuite.class);

    public record Outcome(List<ReproductionRow> rows, Path markdown, Path json, List<Path> figures) {
    }

    private final SuiteConfig suite;
    private final String dataDirOverride;
    private final PartStore parts;
    private final Path figures;
    private final int totalParts;
    private int partsDone;
    private final long started = System.nanoTime();

    public PaperSuite(SuiteConfig suite, String dataDirOverride) {
        this.suite = dataDirOverride == null ? suite : suite.withDataDir(dataDirOverride);
        this.dataDirOverride = dataDirOverride;
        this.parts = new PartStore(this.suite.directory().resolve("parts"), fingerprint(this.suite));
        this.figures = this.suite.directory().resolve("figures");
        this.totalParts = this.suite.depth().size() + this.suite.pruning().size() + (this.suite.nas() != null ? 1 : 0)
                + (this.suite.performance() != null ? 1 : 0);
    }

    public Outcome run(PrintWriter out) {
        List<ReproductionRow> rows = new ArrayList<>(StructureRows.rows());
        List<Path> written = new ArrayList<>();
        Path dir = suite.directory();
        writeText(dir.resolve("suite.json"), ConfigLoader.toJson(suite));
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("redtest.db"))) {
            if (!suite.depth().isEmpty() || !suite.pruning().isEmpty()) {
                LoadedData data = DataLoader.load(suite.data());
                List<DepthPart.ModelResult> depth = new ArrayList<>();
                for (String model : suite.depth()) {
                    depth.add(part("depth-" + model, "train, evaluate and measure " + model, DepthPart.ModelResult.class,
                            () -> DepthPart.run(suite, model, data, db, out), out));
                }
                rows.addAll(DepthPart.rows(depth, suite.accuracyTolerance()));
                if (!depth.isEmpty()) {
                    Path png = figures.resolve("msrs-vs-depth.png");
                    DepthPart.figure(depth, png);
                    written.add(png);
                }
                for (SuiteConfig.PruneTarget target : suite.pruning()) {
                    PruningPart.ModelResult r = part("prune-" + target.model(), "prune " + target.model(),
                            PruningPart.ModelResult.class, () -> PruningPart.run(suite, target, data, db, figures, out), out);
                    rows.addAll(PruningPart.rows(r));
                    for (String stage : List.of("before", "after")) {
                        Path png = figures.resolve(target.model() + "-cka-" + stage + ".png");
                        if (Files.isRegularFile(png)) {
                            written.add(png);
                        }
                    }
                }
            }
            if (suite.nas() != null) {
                NasPart.Result r = part("nas", "NAS experiment " + suite.nas(), NasPart.Result.class,
                        () -> NasPart.run(suite, dataDirOverride, db, figures, out), out);
                rows.addAll(NasPart.rows(r));
                Path png = figures.resolve("nas-scatter.png");
                if (Files.isRegularFile(png)) {
                    written.add(png);
                }
            }
            if (suite.performance() != null) {
                rows.addAll(PerformancePart.rows(part("performance", "performance benchmarks", PerformancePart.Result.class,
                        () -> PerformancePart.run(suite.performance(), out), out)));
            }
        }
        List<String> relative = written.stream().map(p -> dir.relativize(p).toString()).toList();
        String title = "RedTest reproduction, " + suite.tier().toUpperCase() + " tier";
        String context = context();
        Path md = dir.resolve("paper.md");
        Path json = dir.resolve("paper.json");
        writeText(md, ReproductionTable.markdown(title, context, rows, relative));
        ReproductionTable.writeJson(json, title, context, rows, relative);
        return new Outcome(rows, md, json, written);
    }

    private static void writeText(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RedTestException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private String context() {
        var d = suite.data();
        StringBuilder training = new StringBuilder(recipe(suite.training()));
        suite.trainingByFamily().forEach((family, t) -> training.append("; ").append(family).append(": ").append(recipe(t)));
        return String.format("Data: %s%s%s. Training: %s. Measurement: %d batch(es) of %d. "
                        + "Suite: %s (directory %s). Paper numbers: SPEC.md sections 8-9 (CIFAR-10). "
                        + "INFO rows are shown for context and not judged; PASS/FAIL rows state their criterion.",
                d.dataset(), d.trainPerClass() != null ? ", " + d.trainPerClass() + " training images per class" : "",
                d.testLimit() != null ? ", " + d.testLimit() + " test images" : "", training, suite.measure().batches(),
                suite.measure().batchSize(), suite.name(), suite.directory());
    }

    private static String recipe(TrainingConfig t) {
        return String.format("%d epochs, batch %d, learning rate %s", t.epochs(), t.batchSize(), t.learningRate());
    }

    /** A saved part, or runs it and saves it; logs progress through the suite. */
    private <T> T part(String name, String what, Class<T> type, Supplier<T> compute, PrintWriter out) {
        Optional<T> saved = parts.load(name, type);
        partsDone++;
        double minutes = (System.nanoTime() - started) / 6e10;
        if (saved.isPresent()) {
            LOG.info("[{}/{}] {}: done in an earlier run, reused", partsDone, totalParts, what);
            return saved.get();
        }
        out.printf("[%d/%d] %s (suite running %.1f min)%n", partsDone, totalParts, what, minutes);
        out.flush();
        T result = compute.get();
        parts.save(name, result);
        return result;
    }

    private static String fingerprint(SuiteConfig suite) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ConfigLoader.toJson(suite).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
