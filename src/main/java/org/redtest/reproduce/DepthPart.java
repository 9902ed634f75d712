package org.redtest.reproduce;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.config.PruneConfig;
import org.redtest.data.LoadedData;
import org.redtest.experiment.MeasureStage;
import org.redtest.experiment.TrainStage;
import org.redtest.measure.ExpectedMsrsFit;
import org.redtest.measure.ExpectedMsrsPlot;
import org.redtest.measure.Measurement;
import org.redtest.storage.MeasurementTable.DepthPoint;
import org.redtest.storage.ResultsDatabase;
import org.redtest.zoo.Architecture;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * MSRS against depth (paper Fig. 4/5): every depth model is trained, evaluated and measured as an experiment of
 * its own under the suite directory, then the rows judge whether MSRS grows with depth within each family.
 */
final class DepthPart {
    static final String SECTION = "msrs vs depth";
    /** "Grows with depth": the rank correlation of depth and MSRS within a family must reach this. */
    static final double MIN_SPEARMAN = 0.8;

    /** One trained and measured model. */
    record ModelResult(String model, String family, int depth, String dataset, double top1, double msrsMean,
                       double msrsStd, double gamma, long params, long flops) implements java.io.Serializable {
    }

    private DepthPart() {
    }

    /** The experiment that trains and measures {@code model}; pruning reuses its run directory. */
    static ConfigLoader.LoadedConfig experiment(SuiteConfig suite, String model, PruneConfig prune, StageName... stages) {
        Path dir = suite.directory();
        ExperimentConfig cfg = ExperimentConfig.of(model, model, suite.data()).withSeed(suite.seed())
                .withTraining(suite.trainingFor(model)).withMeasure(suite.measure()).withPrune(prune).withStages(stages)
                .withOutput(dir.toString(), dir.resolve("redtest.db").toString());
        return ConfigLoader.of(cfg, "suite " + suite.name());
    }

    static ModelResult run(SuiteConfig suite, String model, LoadedData data, ResultsDatabase db, PrintWriter out) {
        ConfigLoader.LoadedConfig loaded = experiment(suite, model, suite.prune(), StageName.TRAIN, StageName.EVALUATE,
                StageName.MEASURE);
        ExperimentConfig cfg = loaded.config();
        TrainStage.Result trained = TrainStage.run(loaded, data, db);
        out.printf("%s: top-1 %.2f%% on %d test images%n", model, trained.evaluation().top1(), trained.evaluation().samples());
        Measurement m = MeasureStage.run(cfg, trained.model(), data, db, trained.runId(), trained.evaluation().top1(), out);
        Architecture a = cfg.model().architecture();
        var bp = a.blueprint(new org.redtest.zoo.Shape(data.train().channels(), data.train().height(), data.train().width()),
                data.train().numClasses());
        return new ModelResult(a.spec(), a.family().name().toLowerCase(), a.depth(), data.train().name(),
                trained.evaluation().top1(), m.summary().mean(), m.summary().std(), m.summary().gamma(), bp.params(), bp.flops());
    }

    static List<ReproductionRow> rows(List<ModelResult> results, Double accuracyTolerance) {
        List<ReproductionRow> rows = new ArrayList<>();
        Map<String, List<ModelResult>> byFamily = results.stream()
                .collect(Collectors.groupingBy(ModelResult::family, java.util.LinkedHashMap::new, Collectors.toList()));
        byFamily.forEach((family, models) -> {
            if (models.size() >= 3) {
                double rho = new SpearmansCorrelation().correlation(models.stream().mapToDouble(ModelResult::depth).toArray(),
                        models.stream().mapToDouble(ModelResult::msrsMean).toArray());
                rows.add(ReproductionRow.claim(SECTION, family + ": MSRS grows with depth ("
                                + models.stream().map(ModelResult::model).collect(Collectors.joining(", ")) + ")",
                        null, rho, "Spearman rho", "rank correlation of depth and MSRS >= " + MIN_SPEARMAN,
                        Double.isFinite(rho) && rho >= MIN_SPEARMAN));
            }
        });
        for (ModelResult r : results) {
            Double paperTop1 = PaperNumbers.TOP1.get(r.model());
            if (accuracyTolerance == null) {
                rows.add(ReproductionRow.info(SECTION, r.model() + " top-1", paperTop1, r.top1(), "%",
                        "not judged: paper is CIFAR-10, 150 epochs"));
            } else if (paperTop1 != null) {
                rows.add(ReproductionRow.within(SECTION, r.model() + " top-1", paperTop1, r.top1(), "%", accuracyTolerance));
            }
            if (r.model().equals("resnet8")) {
                rows.add(ReproductionRow.claim(SECTION, "resnet8 MSRS (underfitting depth)", null, r.msrsMean(), "MSRS",
                        "ResNet-5/8/10 score below 1", r.msrsMean() < 1));
            } else if (r.model().equals("resnet1202")) {
                rows.add(ReproductionRow.info(SECTION, "resnet1202 MSRS", PaperNumbers.RESNET1202_MSRS, r.msrsMean(), "MSRS",
                        "order of magnitude only"));
            } else {
                rows.add(ReproductionRow.info(SECTION, r.model() + " MSRS", null, r.msrsMean(), "MSRS", "a point of the figure"));
            }
        }
        find(results, "resnet56").ifPresent(r56 -> find(results, "resnet110").ifPresent(r110 -> rows.add(ReproductionRow.claim(
                SECTION, "resnet56 vs resnet110: similar top-1 (" + String.format("%.2f vs %.2f", r56.top1(), r110.top1())
                        + "), MSRS ratio", null, r110.msrsMean() / r56.msrsMean(), "x",
                "top-1 within 1 point and MSRS ratio >= 1.5",
                Math.abs(r56.top1() - r110.top1()) <= 1 && r110.msrsMean() / r56.msrsMean() >= 1.5))));
        return rows;
    }

    static void figure(List<ModelResult> results, Path png) {
        List<DepthPoint> points = results.stream().map(r -> new DepthPoint(r.family(), r.dataset(), r.model(), r.depth(),
                r.gamma(), r.msrsMean(), r.msrsStd())).toList();
        ExpectedMsrsPlot.write(ExpectedMsrsFit.fit(points), png);
    }

    private static java.util.Optional<ModelResult> find(List<ModelResult> results, String model) {
        return results.stream().filter(r -> r.model().equals(model)).findFirst();
    }
}
