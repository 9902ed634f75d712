package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.TrainingConfig;
import org.redtest.data.DataLoader;
import org.redtest.data.LoadedData;
import org.redtest.io.AtomicFiles;
import org.redtest.io.Sha256;
import org.redtest.io.DirectoryLock;
import org.redtest.process.ChildJvm;
import org.redtest.process.FaultInjection;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.storage.ResultsDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a reproduction suite end to end: structure rows, MSRS against depth, pruning, NAS and performance,
 * then writes {@code paper.md}, {@code paper.json} and the figures into the suite directory.
 * <p>
 * Each part (one depth model, one pruned model, the NAS experiment, the performance benchmarks) runs in a JVM
 * of its own, as the same command with {@code --part}: a crash in native code ends that part alone, which
 * becomes a FAIL row naming the crash, and the suite goes on. Each finished part is saved, so running the same
 * command again after a kill (or a crash) goes on from where it stopped. The suite directory records the build
 * that started it and refuses parts from another build unless told to mix them.
 * <p>
 * With {@code engine: spark} the depth models, independent trainings, go to Spark as tasks instead (as many
 * training together as there are task slots); this process alone records each as it comes back, and a model
 * whose task failed every attempt becomes a FAIL row. So do the pruning part's fine-tunings, one task each, while
 * this process measures the trained model, selects the units and times the latencies ({@link PruningOnSpark}).
 * The other parts run as above (docs/cluster.md says why).
 */
public final class PaperSuite {
    private static final Logger LOG = LoggerFactory.getLogger(PaperSuite.class);
    /** Fault-injection point reached in a part's own JVM just before it computes (tests crash it there). */
    public static final String PART_FAULT_POINT = "suite-part:";

    public record Outcome(List<ReproductionRow> rows, Path markdown, Path json, List<Path> figures, List<String> unfinished) {
    }

    /** The command as the user gave it, so that each part can run as the same command in a JVM of its own. */
    public record Invocation(Path suiteFile, String tier, String dataDir, boolean allowMixedBuilds) {
        List<String> partArguments(String part) {
            List<String> args = new ArrayList<>(List.of("bench", "paper", "--tier", tier, "--suite",
                    suiteFile.toAbsolutePath().toString()));
            if (dataDir != null) {
                args.addAll(List.of("--data-dir", dataDir));
            }
            if (allowMixedBuilds) {
                args.add("--allow-mixed-builds");
            }
            args.addAll(List.of("--part", part));
            return args;
        }
    }

    /** One part: its saved name, what it does (for people), its table section, result type and computation. */
    private record Part<T>(String name, String what, String section, Class<T> type, Function<PartContext, T> compute) {
    }

    /** What a part computes with, opened in the part's own JVM; the data is loaded when a part first asks. */
    private final class PartContext implements AutoCloseable {
        final PrintWriter out;
        final ResultsDatabase db;
        private LoadedData data;

        PartContext(PrintWriter out) {
            this.out = out;
            this.db = ResultsDatabase.open(suite.directory().resolve("redtest.db"));
        }

        LoadedData data() {
            if (data == null) {
                data = DataLoader.load(suite.data());
            }
            return data;
        }

        @Override
        public void close() {
            db.close();
        }
    }

    private final SuiteConfig suite;
    private final Invocation invocation;
    private final PartStore parts;
    private final Path figures;
    private final List<Part<?>> allParts;
    private final List<String> unfinished = new ArrayList<>();
    /** The Spark engine of {@code engine: spark}, opened when first needed and shared by the depth and pruning parts. */
    private SweepEngine sparkEngine;
    private int partsDone;
    private int partsReused;
    /** Parts saved by this invocation on Spark: found saved by {@link #obtain}, but not reused from an earlier run. */
    private final Set<String> doneOnSpark = new HashSet<>();
    private final long started = System.nanoTime();

    public PaperSuite(SuiteConfig suite, Invocation invocation) {
        this.suite = invocation.dataDir() == null ? suite : suite.withDataDir(invocation.dataDir());
        this.invocation = invocation;
        this.parts = new PartStore(this.suite.directory().resolve("parts"), fingerprint(this.suite));
        this.figures = this.suite.directory().resolve("figures");
        List<Part<?>> all = new ArrayList<>();
        this.suite.depth().forEach(model -> all.add(depthPart(model)));
        this.suite.pruning().forEach(target -> all.add(prunePart(target)));
        if (this.suite.nas() != null) {
            all.add(nasPart());
        }
        if (this.suite.performance() != null) {
            all.add(performancePart());
        }
        this.allParts = List.copyOf(all);
    }

    private Part<DepthPart.ModelResult> depthPart(String model) {
        return new Part<>(TrainedDepthModel.partName(model), "train, evaluate and measure " + model, DepthPart.SECTION,
                DepthPart.ModelResult.class, c -> DepthPart.run(suite, model, c.data(), c.db, c.out));
    }

    private Part<PruningPart.ModelResult> prunePart(SuiteConfig.PruneTarget target) {
        return new Part<>(PruningPart.partName(target.model()), "prune " + target.model(), PruningPart.SECTION,
                PruningPart.ModelResult.class, c -> PruningPart.run(suite, target, c.data(), c.db, figures, c.out));
    }

    private Part<NasPart.Result> nasPart() {
        return new Part<>("nas", "NAS experiment " + suite.nas(), NasPart.SECTION, NasPart.Result.class,
                c -> NasPart.run(suite, invocation.dataDir(), c.db, figures, c.out));
    }

    private Part<PerformancePart.Result> performancePart() {
        return new Part<>("performance", "performance benchmarks", PerformancePart.SECTION, PerformancePart.Result.class,
                c -> PerformancePart.run(suite.performance(), suite.directory().resolve("crashes"), c.out));
    }

    public Outcome run(PrintWriter out) {
        // the parts' JVMs write into the directory as this process's helpers, under its lock
        try (DirectoryLock lock = DirectoryLock.acquire(suite.directory(), "suite directory")) {
            return runParts(out);
        } finally {
            if (sparkEngine != null) {
                sparkEngine.close();
                sparkEngine = null;
            }
        }
    }

    private Outcome runParts(PrintWriter out) {
        Path dir = suite.directory();
        Instant start = Instant.now();
        List<String> builds = SuiteBuilds.check(dir, SoftwareVersions.build(), invocation.allowMixedBuilds());
        // what the suite computes, as before engines existed: where it runs changes no number
        writeText(dir.resolve("suite.json"), ConfigLoader.toJson(suite, SuiteConfig.ENGINE_KEYS));
        List<ReproductionRow> rows = new ArrayList<>(StructureRows.rows());
        List<Path> written = new ArrayList<>();
        List<DepthPart.ModelResult> depth = new ArrayList<>();
        Map<String, String> failedOnSpark = suite.engine().equals(SuiteConfig.SPARK) ? trainDepthOnSpark(out) : Map.of();
        for (String model : suite.depth()) {
            obtain(depthPart(model), rows, out, failedOnSpark.get(model)).ifPresent(depth::add);
        }
        rows.addAll(DepthPart.rows(depth, suite.accuracyTolerance()));
        if (!depth.isEmpty()) {
            Path png = figures.resolve("msrs-vs-depth.png");
            DepthPart.figure(depth, png);
            written.add(png);
        }
        for (SuiteConfig.PruneTarget target : suite.pruning()) {
            String pruneFailed = suite.engine().equals(SuiteConfig.SPARK) ? pruneOnSpark(target, out) : null;
            obtain(prunePart(target), rows, out, pruneFailed).ifPresent(r -> rows.addAll(PruningPart.rows(r)));
            for (String stage : List.of("before", "after")) {
                addIfPresent(figures.resolve(target.model() + "-cka-" + stage + ".png"), written);
            }
        }
        if (suite.nas() != null) {
            obtain(nasPart(), rows, out, null).ifPresent(r -> {
                rows.addAll(NasPart.rows(r));
                NasPart.scatterNames(r).forEach(name -> addIfPresent(figures.resolve(name), written));
            });
        }
        if (suite.performance() != null) {
            obtain(performancePart(), rows, out, null).ifPresent(r -> rows.addAll(PerformancePart.rows(r)));
        }
        List<String> relative = written.stream().map(p -> dir.relativize(p).toString()).toList();
        String title = "RedTest reproduction, " + suite.tier().toUpperCase() + " tier";
        String context = context(builds, start);
        Path md = dir.resolve("paper.md");
        Path json = dir.resolve("paper.json");
        writeText(md, ReproductionTable.markdown(title, context, rows, relative));
        ReproductionTable.writeJson(json, title, context, rows, relative);
        return new Outcome(rows, md, json, written, List.copyOf(unfinished));
    }

    /** Computes and saves one part in this JVM: what a part's own JVM does ({@code bench paper --part NAME}). */
    public void runPart(String name, PrintWriter out) {
        Part<?> part = allParts.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                new RedTestException("suite " + suite.name() + " has no part '" + name + "'; its parts: "
                        + String.join(", ", allParts.stream().map(Part::name).toList())));
        FaultInjection.reach(PART_FAULT_POINT + name);
        try (PartContext context = new PartContext(out)) {
            parts.save(name, part.compute().apply(context));
        }
    }

    /**
     * Trains the depth models no earlier run saved as Spark tasks, recording each as it arrives; returns why each
     * model that did not finish failed. Those become FAIL rows ({@link #obtain}) and are retried on the next run.
     */
    private Map<String, String> trainDepthOnSpark(PrintWriter out) {
        List<String> todo = suite.depth().stream()
                .filter(m -> parts.load(TrainedDepthModel.partName(m), DepthPart.ModelResult.class).isEmpty()).toList();
        Map<String, String> failed = new LinkedHashMap<>();
        if (todo.isEmpty()) {
            return failed;
        }
        String suiteJson = ConfigLoader.toJson(suite.forTask(suite.outputDir()));
        List<String> recorded = new ArrayList<>();
        SweepEngine engine = sparkEngine(); // a build without Spark stops here, before any work
        try {
            out.printf("%d depth model(s) as Spark tasks (%s): %s%n", todo.size(), engine.describe(), String.join(", ", todo));
            out.flush();
            engine.trainDepthModels(suiteJson, todo, o -> {
                if (o.succeeded()) {
                    TrainedDepthModel t = o.result();
                    try {
                        DepthRecorder.record(t, suite, parts);
                    } catch (RuntimeException e) {
                        failed.put(o.key(), "it trained on " + t.host() + " but could not be recorded: " + e.getMessage());
                        out.printf("%s: %s%n", o.key(), failed.get(o.key()));
                        out.flush();
                        return;
                    }
                    recorded.add(o.key());
                    doneOnSpark.add(TrainedDepthModel.partName(o.key()));
                    out.print(t.log());
                    out.printf("%s: trained on %s in %.1f s, %d attempt(s), recorded (%d of %d)%n", o.key(), t.host(),
                            t.seconds(), t.attempts(), recorded.size() + failed.size(), todo.size());
                } else {
                    failed.put(o.key(), "its Spark task failed " + o.attempts() + " attempt(s): " + o.error());
                    out.printf("%s: its Spark task failed every attempt (%d): %s%n", o.key(), o.attempts(), o.error());
                }
                out.flush();
            });
        } catch (RuntimeException e) {
            // the engine itself stopped (the context shut down, a result too large): what came back is recorded
            String why = "the Spark engine stopped before it came back: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            todo.stream().filter(m -> !recorded.contains(m) && !failed.containsKey(m)).forEach(m -> failed.put(m, why));
            out.println(why);
            out.flush();
        }
        return failed;
    }

    /**
     * Prunes {@code target} with its fine-tunings as Spark tasks, unless an earlier run saved the part, and saves
     * the part; returns why it did not finish, or null. That becomes a FAIL row ({@link #obtain}), retried on the
     * next run, which reuses every fine-tuning recorded by then.
     */
    private String pruneOnSpark(SuiteConfig.PruneTarget target, PrintWriter out) {
        String name = PruningPart.partName(target.model());
        if (parts.load(name, PruningPart.ModelResult.class).isPresent()) {
            return null;
        }
        SweepEngine engine = sparkEngine();
        out.printf("prune %s: measuring it here, its fine-tunings as Spark tasks (suite running %.1f min)%n", target.model(),
                (System.nanoTime() - started) / 6e10);
        out.flush();
        try (ResultsDatabase db = ResultsDatabase.open(suite.directory().resolve("redtest.db"))) {
            parts.save(name, PruningOnSpark.run(suite, target, TaskData.of(suite.data()), db, engine, parts, figures, out));
            doneOnSpark.add(name);
            return null;
        } catch (RuntimeException e) {
            String why = e instanceof RedTestException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            out.printf("%s: %s%n", name, why);
            out.flush();
            return why;
        }
    }

    private SweepEngine sparkEngine() {
        if (sparkEngine == null) {
            sparkEngine = SweepEngines.open(suite);
        }
        return sparkEngine;
    }

    /**
     * A saved part, or runs it in a JVM of its own and reads what it saved; a part that did not finish adds a FAIL
     * row. {@code failedElsewhere}: why another engine could not compute it (no local run is tried then).
     */
    private <T> Optional<T> obtain(Part<T> part, List<ReproductionRow> rows, PrintWriter out, String failedElsewhere) {
        Optional<T> saved = parts.load(part.name(), part.type());
        partsDone++;
        if (saved.isPresent()) {
            if (doneOnSpark.contains(part.name())) {
                LOG.info("[{}/{}] {}: done on Spark", partsDone, allParts.size(), part.what());
            } else {
                partsReused++;
                LOG.info("[{}/{}] {}: done in an earlier run, reused", partsDone, allParts.size(), part.what());
            }
            return saved;
        }
        if (failedElsewhere != null) {
            unfinished.add(part.name());
            rows.add(ReproductionRow.unfinished(part.section(), "part " + part.name() + " (" + part.what()
                    + ") did not finish: " + failedElsewhere + "; running the suite again retries it"));
            return Optional.empty();
        }
        out.printf("[%d/%d] %s (suite running %.1f min)%n", partsDone, allParts.size(), part.what(),
                (System.nanoTime() - started) / 6e10);
        out.flush();
        ChildJvm.Result child = ChildJvm.run(invocation.partArguments(part.name()), null, suite.directory().resolve("crashes"),
                line -> {
                    out.println(line);
                    out.flush();
                });
        Optional<T> result = child.succeeded() ? parts.load(part.name(), part.type()) : Optional.empty();
        if (result.isEmpty()) {
            String why = child.succeeded() ? "its process ended without saving a result" : child.failure();
            out.printf("[%d/%d] %s did not finish: %s%n", partsDone, allParts.size(), part.what(), why);
            out.flush();
            unfinished.add(part.name());
            rows.add(ReproductionRow.unfinished(part.section(), "part " + part.name() + " (" + part.what()
                    + ") did not finish: " + why + "; running the suite again retries it"));
        }
        return result;
    }

    private static void addIfPresent(Path png, List<Path> written) {
        if (Files.isRegularFile(png)) {
            written.add(png);
        }
    }

    private static void writeText(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new RedTestException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private String context(List<String> builds, Instant start) {
        var d = suite.data();
        StringBuilder training = new StringBuilder(recipe(suite.training()));
        suite.trainingByFamily().forEach((family, t) -> training.append("; ").append(family).append(": ").append(recipe(t)));
        String build = builds.size() == 1 ? "build " + builds.get(0)
                : "parts from builds " + String.join(", ", builds) + " (mixed on request)";
        return String.format("Data: %s%s%s. Training: %s. Measurement: %d batch(es) of %d. Pruning: %d fine-tuning(s) "
                        + "per method (seeds %d..%d). Suite: %s (directory %s), %s. This invocation: started %s, "
                        + "%.1f min, %d of %d parts reused from earlier invocations. Paper numbers: the paper's "
                        + "CIFAR-10 results. INFO rows are shown for context and not judged; PASS/FAIL rows state "
                        + "their criterion; ± is the standard deviation over seeds.",
                d.dataset(), d.trainPerClass() != null ? ", " + d.trainPerClass() + " training images per class" : "",
                d.testLimit() != null ? ", " + d.testLimit() + " test images" : "", training, suite.measure().batches(),
                suite.measure().batchSize(), suite.prune().repeats(), suite.seed(), suite.seed() + suite.prune().repeats() - 1,
                suite.name(), suite.directory(), build, start.truncatedTo(ChronoUnit.SECONDS),
                (System.nanoTime() - started) / 6e10, partsReused, allParts.size());
    }

    private static String recipe(TrainingConfig t) {
        return String.format("%d epochs, batch %d, learning rate %s", t.epochs(), t.batchSize(), t.learningRate());
    }

    /** What the suite computes: the engine it runs on is left out, so either engine can finish what the other started. */
    static String fingerprint(SuiteConfig suite) {
        return Sha256.hex(ConfigLoader.toJson(suite, SuiteConfig.ENGINE_KEYS)).substring(0, 16);
    }
}
