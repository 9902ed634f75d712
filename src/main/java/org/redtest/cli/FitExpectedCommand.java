package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.measure.CanonicalMeasurements;
import org.redtest.measure.ExpectedMsrsFit;
import org.redtest.measure.ExpectedMsrsPlot;
import org.redtest.storage.JsonNumbers;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "fit-expected", mixinStandardHelpOptions = true,
        description = {"Fit expected MSRS against depth (linear and quadratic least squares) to the measured models.",
                "Uses each trained model's canonical measurement (its measure stage's) in the results database, "
                        + "prints the coefficients and R^2 and plots them."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest fit-expected",
                "  bin/redtest fit-expected --include-untrained --json"})
final class FitExpectedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    DatabaseOption databaseOption;
    @Option(names = "--plot", defaultValue = "checkpoints/expected-msrs.png", description = "PNG to write (default ${DEFAULT-VALUE}).")
    Path plot;
    @Option(names = "--include-untrained", description = "Also use models measured without a checkpoint (untrained weights).")
    boolean includeUntrained;
    @Option(names = "--ad-hoc", description = "Also use ad-hoc measurements (made by msrs) of trained models that have no canonical one.")
    boolean adHoc;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Path database = databaseOption.path();
        if (!Files.isRegularFile(database)) {
            throw new RedTestException("results database not found: " + database + " (run an experiment with a measure stage first, see configs/)");
        }
        List<CanonicalMeasurements.FitPoint> points;
        long adHocStored;
        try (ResultsDatabase db = ResultsDatabase.open(database)) {
            CanonicalMeasurements measurements = CanonicalMeasurements.read(db);
            points = measurements.depthPoints(adHoc, includeUntrained);
            adHocStored = measurements.adHocCount();
        }
        if (points.isEmpty()) {
            throw new RedTestException("no canonical MSRS measurements in " + database + " (the measure stage makes them: "
                    + "'redtest run CONFIG.yaml' with measure among its stages, see configs/)"
                    + (adHocStored > 0 ? "; its " + adHocStored + " ad-hoc measurement(s) are used with --ad-hoc" : ""));
        }
        List<ExpectedMsrsFit.Group> groups = ExpectedMsrsFit.fit(points.stream().map(p -> p.source().depthPoint()).toList());
        List<MeasurementTable.Stored> adHocUsed = points.stream().filter(p -> !p.canonical())
                .map(CanonicalMeasurements.FitPoint::source).toList();
        ExpectedMsrsPlot.write(groups, plot);
        var out = spec.commandLine().getOut();
        if (json.requested) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ExpectedMsrsFit.Group g : groups) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("family", g.family());
                row.put("dataset", g.dataset());
                row.put("gamma", g.gamma());
                row.put("points", g.points().stream().map(p -> pointJson(p, points)).toList());
                row.put("linear", g.linear());
                row.put("linear_r2", g.linearR2());
                row.put("quadratic", g.quadratic());
                row.put("quadratic_r2", g.quadraticR2());
                rows.add(row);
            }
            out.println(Console.json(Map.of("groups", rows, "plot", plot.toString(),
                    "ad_hoc_not_used", adHocStored - adHocUsed.size())));
            return 0;
        }
        for (ExpectedMsrsFit.Group g : groups) {
            out.printf("%s: %d model(s) at depths %s%n", g.label(), g.points().size(),
                    g.points().stream().map(p -> String.valueOf(p.depth())).toList());
            out.println(g.linear() == null ? "  linear:    needs 2 depths"
                    : String.format("  linear:    MSRS = %.6g + %.6g d              R^2 = %.4f", g.linear()[0], g.linear()[1], g.linearR2()));
            out.println(g.quadratic() == null ? "  quadratic: needs 3 depths"
                    : String.format("  quadratic: MSRS = %.6g + %.6g d + %.6g d^2   R^2 = %.4f", g.quadratic()[0],
                    g.quadratic()[1], g.quadratic()[2], g.quadraticR2()));
            adHocUsed.stream().filter(a -> g.points().contains(a.depthPoint())).forEach(a -> out.printf(
                    "  ad hoc:    %s (depth %d) MSRS %.4f from %s, not a canonical measurement%n",
                    a.modelSpec(), a.depth(), a.msrsMean(), a.settings()));
        }
        if (adHocStored > adHocUsed.size()) {
            out.printf("not used: %d ad-hoc measurement(s) (made by msrs)%s%n", adHocStored - adHocUsed.size(),
                    adHoc ? "" : "; --ad-hoc uses those of trained models without a canonical measurement");
        }
        out.println("plot: " + plot);
        return 0;
    }

    private static Map<String, Object> pointJson(MeasurementTable.DepthPoint p, List<CanonicalMeasurements.FitPoint> points) {
        CanonicalMeasurements.FitPoint source = points.stream().filter(f -> f.source().depthPoint().equals(p)).findFirst()
                .orElseThrow();
        MeasurementTable.Stored s = source.source();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", p.modelSpec());
        m.put("depth", p.depth());
        m.put("msrs", JsonNumbers.nanToNull(p.msrsMean()));
        m.put("canonical", source.canonical());
        m.put("batches", s.batches());
        m.put("batch_size", s.batchSize());
        m.put("sampling", s.sampling());
        m.put("split", s.split());
        return m;
    }
}
