package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.measure.ExpectedMsrsFit;
import org.redtest.measure.ExpectedMsrsPlot;
import org.redtest.storage.JsonNumbers;
import org.redtest.storage.MeasurementTable;
import org.redtest.storage.ResultsDatabase;
import picocli.CommandLine.Command;
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
                "Uses the latest measurement of each trained model in the results database, prints the "
                        + "coefficients and R^2 and plots them."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest fit-expected",
                "  bin/redtest fit-expected --include-untrained --json"})
final class FitExpectedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--db", defaultValue = "checkpoints/redtest.db", description = "Results database (default ${DEFAULT-VALUE}).")
    Path database;
    @Option(names = "--plot", defaultValue = "checkpoints/expected-msrs.png", description = "PNG to write (default ${DEFAULT-VALUE}).")
    Path plot;
    @Option(names = "--include-untrained", description = "Also use models measured without a checkpoint (untrained weights).")
    boolean includeUntrained;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(database)) {
            throw new RedTestException("results database not found: " + database + " (measure some models with 'redtest msrs' first)");
        }
        List<ExpectedMsrsFit.Group> groups;
        try (ResultsDatabase db = ResultsDatabase.open(database)) {
            groups = ExpectedMsrsFit.fit(new MeasurementTable(db).depthPoints(includeUntrained));
        }
        if (groups.isEmpty()) {
            throw new RedTestException("no MSRS measurements in " + database + " (measure some models with 'redtest msrs' first)");
        }
        ExpectedMsrsPlot.write(groups, plot);
        var out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ExpectedMsrsFit.Group g : groups) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("family", g.family());
                row.put("dataset", g.dataset());
                row.put("gamma", g.gamma());
                row.put("points", g.points().stream().map(p -> Map.of("model", p.modelSpec(), "depth", p.depth(),
                        "msrs", JsonNumbers.nanToNull(p.msrsMean()))).toList());
                row.put("linear", g.linear());
                row.put("linear_r2", g.linearR2());
                row.put("quadratic", g.quadratic());
                row.put("quadratic_r2", g.quadraticR2());
                rows.add(row);
            }
            out.println(Console.json(Map.of("groups", rows, "plot", plot.toString())));
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
        }
        out.println("plot: " + plot);
        return 0;
    }
}
