package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.bench.CkaEngineBenchmark;
import org.redtest.bench.CpuPathBenchmark;
import org.redtest.bench.MsrsMemoryBenchmark;
import org.redtest.bench.MsrsOverheadBenchmark;
import org.redtest.process.ChildJvm;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The performance rows, each a ratio measured side by side in one run: training and inference throughput
 * against the matrix-multiply peak (and against stock DL4J), the CKA engine against the per-pair method, MSRS
 * time over plain inference, and the peak memory of a deep model's MSRS (in a process of its own, since the
 * peak of this one holds everything the suite did before). The throughput benchmark also runs in a process of
 * its own: it times stock DL4J, whose native code once crashed the whole suite (a SIGSEGV in libnd4j's batch-norm
 * broadcast after 47 minutes of work); now such a crash fails this part alone, and the saved parts stay.
 */
final class PerformancePart {
    static final String SECTION = "performance";
    static final double TRAIN_PEAK_TARGET = 0.35;
    static final double INFER_PEAK_TARGET = 0.45;
    static final double CKA_SPEEDUP_TARGET = 50;
    static final double MSRS_OVERHEAD_TARGET = 1.3;
    static final double MEMORY_TARGET_GIB = 4;
    /** Reads the benchmarks' --json files; NaN (e.g. no stock path to compare with) is written as a bare token. */
    private static final JsonMapper FIGURES = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record Result(String model, double peakGflops, double trainImgPerS, double inferImgPerS, double trainFraction,
                  double inferFraction, Double stockTrainImgPerS, Double stockInferImgPerS, Double helpersTrainImgPerS,
                  double ckaSpeedUp,
                  String msrsModel, double msrsOverhead, String memoryModel, double memoryPeakGib) {
    }

    private PerformancePart() {
    }

    static Result run(SuiteConfig.Performance p, Path crashes, PrintWriter out) {
        CpuPathBenchmark.Result throughput = throughputInOwnProcess(p, crashes, out);
        CkaEngineBenchmark.Result cka = CkaEngineBenchmark.run(p.ckaSamples(), out);
        double overhead = MsrsOverheadBenchmark.run(p.msrsModel(), p.msrsBatches(), 256, out);
        double memory = memoryInOwnProcess(p.memoryModel(), crashes, out);
        var stock = throughput.stock();
        var helpers = throughput.oneDnnHelpers();
        return new Result(p.model(), throughput.peakGflops(), throughput.ours().trainImgPerS(), throughput.ours().inferImgPerS(),
                throughput.trainFractionOfPeak(), throughput.inferFractionOfPeak(),
                stock == null ? null : stock.trainImgPerS(), stock == null ? null : stock.inferImgPerS(),
                helpers == null ? null : helpers.trainImgPerS(), cka.speedUp(), p.msrsModel(), overhead, p.memoryModel(), memory);
    }

    static List<ReproductionRow> rows(Result r) {
        List<ReproductionRow> rows = new ArrayList<>();
        rows.add(ReproductionRow.claim(SECTION, String.format("%s training %.1f img/s, fraction of the %.1f GFLOP/s matmul peak",
                        r.model(), r.trainImgPerS(), r.peakGflops()), null, 100 * r.trainFraction(), "%",
                "target >= " + pct(TRAIN_PEAK_TARGET), r.trainFraction() >= TRAIN_PEAK_TARGET));
        rows.add(ReproductionRow.claim(SECTION, String.format("%s inference %.1f img/s, fraction of the matmul peak",
                        r.model(), r.inferImgPerS()), null, 100 * r.inferFraction(), "%",
                "target >= " + pct(INFER_PEAK_TARGET), r.inferFraction() >= INFER_PEAK_TARGET));
        if (r.stockTrainImgPerS() != null) {
            double speedUp = r.trainImgPerS() / r.stockTrainImgPerS();
            rows.add(ReproductionRow.claim(SECTION, String.format("training speed-up over stock DL4J (%.1f img/s)",
                    r.stockTrainImgPerS()), null, speedUp, "x", "ours faster than stock", speedUp > 1));
        }
        if (r.helpersTrainImgPerS() != null) {
            double speedUp = r.trainImgPerS() / r.helpersTrainImgPerS();
            rows.add(ReproductionRow.claim(SECTION, String.format("training speed-up of the fast CPU path over DL4J's "
                    + "oneDNN helpers alone (%.1f img/s)", r.helpersTrainImgPerS()), null, speedUp, "x",
                    "ours faster", speedUp > 1));
        }
        rows.add(ReproductionRow.claim(SECTION, "CKA engine over the per-pair method (55 IRs)", null, r.ckaSpeedUp(), "x",
                "target >= " + ReproductionRow.trim(CKA_SPEEDUP_TARGET) + "x", r.ckaSpeedUp() >= CKA_SPEEDUP_TARGET));
        rows.add(ReproductionRow.claim(SECTION, r.msrsModel() + " MSRS time over plain inference", null, r.msrsOverhead(), "x",
                "target <= " + MSRS_OVERHEAD_TARGET, r.msrsOverhead() <= MSRS_OVERHEAD_TARGET));
        rows.add(ReproductionRow.claim(SECTION, r.memoryModel() + " MSRS peak process memory (batch 256)", null,
                r.memoryPeakGib(), "GiB", "target <= " + ReproductionRow.trim(MEMORY_TARGET_GIB) + " GiB",
                r.memoryPeakGib() <= MEMORY_TARGET_GIB));
        return rows;
    }

    private static String pct(double fraction) {
        return Math.round(100 * fraction) + "%";
    }

    /** Runs {@code bench cpu-path} in a fresh JVM and reads its figures back from JSON. */
    private static CpuPathBenchmark.Result throughputInOwnProcess(SuiteConfig.Performance p, Path crashes, PrintWriter out) {
        Path json = temporaryJson("redtest-cpu-path");
        try {
            List<String> args = new ArrayList<>(List.of("bench", "cpu-path", "--model", p.model(), "--batch-size",
                    String.valueOf(p.batchSize()), "--batches", String.valueOf(p.batches()), "--json", json.toString()));
            if (!p.compareStock()) {
                args.add("--ours-only");
            }
            ChildJvm.Result child = ChildJvm.run(args, null, crashes, line -> {
                if (!line.contains(" INFO ") && !line.contains(" WARN ")) {
                    out.println(line);
                    out.flush();
                }
            });
            if (!child.succeeded() || Files.size(json) == 0) {
                throw new RedTestException("the throughput benchmark process failed: " + child.failure());
            }
            return FIGURES.readValue(json.toFile(), CpuPathBenchmark.Result.class);
        } catch (IOException e) {
            throw new RedTestException("cannot read the throughput benchmark's figures: " + e.getMessage(), e);
        } finally {
            deleteQuietly(json);
        }
    }

    /** Runs {@code bench msrs-memory} in a fresh JVM with a 2 GiB heap and reads its figures back from JSON. */
    private static double memoryInOwnProcess(String model, Path crashes, PrintWriter out) {
        Path json = temporaryJson("redtest-msrs-memory");
        try {
            ChildJvm.Result child = ChildJvm.run(List.of("bench", "msrs-memory", "--model", model, "--json", json.toString()),
                    "-Xmx2g", crashes, line -> {
                        if (line.startsWith("peak process memory")) {
                            out.println(line);
                            out.flush();
                        }
                    });
            if (!child.succeeded() || Files.size(json) == 0) {
                throw new RedTestException("the memory benchmark process for " + model + " failed: " + child.failure());
            }
            return FIGURES.readValue(json.toFile(), MsrsMemoryBenchmark.Result.class).peakGib();
        } catch (IOException e) {
            throw new RedTestException("cannot read the memory benchmark's figures: " + e.getMessage(), e);
        } finally {
            deleteQuietly(json);
        }
    }

    private static Path temporaryJson(String prefix) {
        try {
            return Files.createTempFile(prefix, ".json");
        } catch (IOException e) {
            throw new RedTestException("cannot create a temporary file for a benchmark's figures: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
