package org.redtest.cli;

import org.redtest.bench.CpuPathBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures measured side by side in one run (see benchmarks/).",
        subcommands = {BenchCommand.CpuPath.class})
final class BenchCommand {
    @Command(name = "cpu-path", mixinStandardHelpOptions = true,
            description = "Stock DL4J against the oneDNN path: img/s, effective GFLOP/s and fraction of the matmul peak.")
    static final class CpuPath implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--model", defaultValue = "resnet20", description = "Model spec (default ${DEFAULT-VALUE}).")
        String model;
        @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
        int batchSize;
        @Option(names = "--batches", defaultValue = "5", description = "Timed batches per path (default ${DEFAULT-VALUE}).")
        int batches;

        @Override
        public Integer call() {
            Console.logComputePath();
            new CpuPathBenchmark(model, batchSize, batches).run(spec.commandLine().getOut());
            return 0;
        }
    }
}
