package org.redtest.cli;

import org.redtest.report.ExperimentReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a self-contained HTML page of a run or experiment that opens offline.",
                "It opens with a summary (model, data, top-1, MSRS and what it means, the pruning outcome per "
                        + "method), then heatmaps before and after pruning, training curves, search and reproduction "
                        + "tables, and the configuration and provenance collapsed at the end; figures are embedded."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest report checkpoints/quickstart",
                "  bin/redtest report configs/quickstart.yaml --out quickstart.html"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN|EXPERIMENT", description = {"An experiment file (configs/quickstart.yaml), a run or suite "
            + "directory (checkpoints/quickstart, checkpoints/paper-cpu) or a run name under checkpoints/."})
    String target;

    @Option(names = "--out", description = "Output file (default <run directory>/report.html).")
    Path out;

    @Override
    public Integer call() {
        Path file = ExperimentReport.write(target, out);
        spec.commandLine().getOut().println("report: " + file);
        return 0;
    }
}
