package org.redtest.cli;

import org.redtest.bench.CkaEngineBenchmark;
import org.redtest.bench.CpuPathBenchmark;
import org.redtest.bench.MsrsMemoryBenchmark;
import org.redtest.bench.MsrsOverheadBenchmark;
import org.redtest.bench.PruneMemoryBenchmark;
import org.redtest.bench.PyTorchPeerBenchmark;
import org.redtest.bench.TrainingProfile;
import org.redtest.RedTestException;
import org.redtest.reproduce.PaperSuite;
import org.redtest.reproduce.SuiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures measured side by side in one run (see benchmarks/README.md).",
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest bench cpu-path",
                "  bin/redtest bench paper --tier cpu"},
        subcommands = {BenchCommand.CpuPath.class, BenchCommand.PyTorchPeer.class, BenchCommand.CkaEngine.class, BenchCommand.MsrsOverhead.class, BenchCommand.OnnxMsrs.class,
                BenchCommand.MsrsMemory.class, BenchCommand.PruneMemory.class, BenchCommand.ProfileTraining.class, BenchCommand.Paper.class,
                BenchCommand.GpuOps.class, BenchCommand.GpuStep.class, BenchCommand.GpuPeer.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** {@code bench} alone lists the benchmarks, as {@code redtest} alone lists the commands. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "cpu-path", mixinStandardHelpOptions = true,
            description = "Stock DL4J against the oneDNN path: img/s, effective GFLOP/s and fraction of the matmul peak.",
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench cpu-path",
                    "  bin/redtest bench cpu-path --model resnet56 --batches 3 --json cpu-path.json"})
    static final class CpuPath implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ModelOption model = new ModelOption("resnet20");
        @Mixin
        BatchSizeOption batchSize = new BatchSizeOption(128);
        @Option(names = "--batches", defaultValue = "5", description = "Timed batches per path (default ${DEFAULT-VALUE}).")
        int batches;
        @Option(names = "--ours-only", description = "Skip the slow stock path (e.g. to profile ours).")
        boolean oursOnly;
        @Option(names = "--channels", defaultValue = "3",
                description = "Channels of the random 32x32 input: 3 as CIFAR, 1 as Fashion-MNIST (default ${DEFAULT-VALUE}).")
        int channels;
        @Mixin
        JsonFileOption json = new JsonFileOption();

        @Override
        public Integer call() {
            if (channels < 1) {
                throw new ParameterException(spec.commandLine(), "--channels must be at least 1, got " + channels);
            }
            Console.logComputePath();
            CpuPathBenchmark.Result result = new CpuPathBenchmark(model.value(), batchSize.value(), batches, oursOnly, channels)
                    .run(spec.commandLine().getOut());
            json.write(result);
            return 0;
        }
    }

    @Command(name = "pytorch-peer", mixinStandardHelpOptions = true,
            description = {"Our training and inference img/s beside PyTorch's and ONNX Runtime's on the same ResNets, alternating in one run.",
                    "PyTorch is Debian's python3-torch; both use the same batch, optimiser and loss, and the table "
                            + "gives the ratios and the fraction of the matmul peak. ONNX Runtime (CPU, all graph "
                            + "optimisations) runs the PyTorch model exported to ONNX, for inference; the last lines "
                            + "name the best peer of each column and our ratio to it.",
                    "Without PyTorch it says so and prints our figures alone. Run it with nothing else busy."},
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench pytorch-peer",
                    "  bin/redtest bench pytorch-peer --models resnet20 --rounds 1"})
    static final class PyTorchPeer implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--models", split = ",", defaultValue = "resnet20,resnet56",
                description = "CIFAR ResNets to compare (default ${DEFAULT-VALUE}).")
        java.util.List<String> models;
        @Mixin
        BatchSizeOption batchSize = new BatchSizeOption(128);
        @Option(names = "--batches", defaultValue = "8", description = "Timed batches per figure (default ${DEFAULT-VALUE}).")
        int batches;
        @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds; medians are printed (default ${DEFAULT-VALUE}).")
        int rounds;
        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default ${DEFAULT-VALUE}).")
        String python;
        @Mixin
        JsonFileOption json = new JsonFileOption();

        @Override
        public Integer call() {
            Console.logComputePath();
            PyTorchPeerBenchmark.Result result = new PyTorchPeerBenchmark(models, batchSize.value(), batches, rounds, python)
                    .run(spec.commandLine().getOut());
            json.write(result);
            return 0;
        }
    }

    @Command(name = "cka-engine", mixinStandardHelpOptions = true,
            description = "All-pairs CKA engine against the per-pair method, 55 IRs of ResNet-110 widths.",
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench cka-engine",
                    "  bin/redtest bench cka-engine --n 512"})
    static final class CkaEngine implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--n", defaultValue = "256", description = "Samples per IR (default ${DEFAULT-VALUE}).")
        int n;

        @Override
        public Integer call() {
            Console.logComputePath();
            CkaEngineBenchmark.run(n, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "msrs-overhead", mixinStandardHelpOptions = true,
            description = "MSRS measurement time over plain inference time on the same Fashion-MNIST images.",
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench msrs-overhead",
                    "  bin/redtest bench msrs-overhead --model resnet20 --batches 2"})
    static final class MsrsOverhead implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ModelOption model = new ModelOption("resnet56");
        @Option(names = "--batches", defaultValue = "10", description = "Batches (default ${DEFAULT-VALUE}).")
        int batches;
        @Mixin
        BatchSizeOption batchSize = new BatchSizeOption(256);

        @Override
        public Integer call() {
            Console.logComputePath();
            MsrsOverheadBenchmark.run(model.value(), batches, batchSize.value(), spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "onnx-msrs", mixinStandardHelpOptions = true,
            description = "msrs --onnx against ONNX Runtime's plain inference of the same model on the same images.",
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench onnx-msrs --onnx resnet18-224.onnx --inputs images-224.npy",
                    "      make both with: src/test/onnx/make_fixtures.py --full DIR"})
    static final class OnnxMsrs implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--onnx", required = true, paramLabel = "MODEL.onnx", description = "The model.")
        Path onnx;
        @Option(names = "--inputs", required = true, paramLabel = "IMAGES", description = "Images: float32 .npy, N x C x H x W.")
        Path inputs;
        @Option(names = "--batches", defaultValue = "10", description = "Batches (default ${DEFAULT-VALUE}).")
        int batches;
        @Mixin
        BatchSizeOption batchSize = new BatchSizeOption(64);
        @Mixin
        JsonFileOption json = new JsonFileOption();

        @Override
        public Integer call() {
            json.write(org.redtest.bench.OnnxMsrsBenchmark.run(onnx, inputs, batches, batchSize.value(),
                    spec.commandLine().getOut()));
            return 0;
        }
    }

    @Command(name = "msrs-memory", mixinStandardHelpOptions = true,
            description = "Peak process memory while measuring MSRS of a deep model (default ResNet-1202 at batch 256).",
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench msrs-memory",
                    "  bin/redtest bench msrs-memory --model resnet110 --batch-size 128"})
    static final class MsrsMemory implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ModelOption model = new ModelOption("resnet1202");
        @Option(names = "--batches", defaultValue = "2", description = "Batches (default ${DEFAULT-VALUE}).")
        int batches;
        @Mixin
        BatchSizeOption batchSize = new BatchSizeOption(256);
        @Mixin
        JsonFileOption json = new JsonFileOption();

        @Override
        public Integer call() {
            Console.logComputePath();
            MsrsMemoryBenchmark.Result r = MsrsMemoryBenchmark.run(model.value(), batches, batchSize.value(), spec.commandLine().getOut());
            json.write(r);
            return 0;
        }
    }

    @Command(name = "prune-memory", mixinStandardHelpOptions = true,
            description = "Process memory after each of many prune-and-rebuild rounds in one process.",
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench prune-memory",
                    "  bin/redtest bench prune-memory --model resnet20 --rounds 5"})
    static final class PruneMemory implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ModelOption model = new ModelOption("resnet56");
        @Option(names = "--rounds", defaultValue = "20", description = "Rounds (default ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() {
            Console.logComputePath();
            PruneMemoryBenchmark.run(model.value(), rounds, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "profile-training", mixinStandardHelpOptions = true,
            description = "Where a training step's time goes (JFR samples by DL4J layer and native call).",
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench profile-training",
                    "  bin/redtest bench profile-training --model resnet56 --batches 10",
                    "  bin/redtest bench profile-training --inference --batches 100"})
    static final class ProfileTraining implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ModelOption model = new ModelOption("resnet20");
        @Mixin
        BatchSizeOption batchSize = new BatchSizeOption(128);
        @Option(names = "--batches", defaultValue = "20", description = "Profiled steps (default ${DEFAULT-VALUE}).")
        int batches;
        @Option(names = "--inference", description = "Profile inference (graph output) instead of training steps.")
        boolean inference;

        @Override
        public Integer call() throws Exception {
            Console.logComputePath();
            TrainingProfile.run(model.value(), batchSize.value(), batches, inference, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "paper", mixinStandardHelpOptions = true,
            description = {"Reproduction suite: our numbers beside the paper's, as a Markdown table, JSON and PNG figures.",
                    "Runs benchmarks/paper-<tier>.yaml; a killed suite resumes when run again."},
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench paper --tier cpu",
                    "  bin/redtest bench paper --tier gpu --data-dir DIR",
                    "      DIR holds the CIFAR-10 binary files",
                    "  bin/redtest bench paper --tier cpu --engine spark --master 'local[2]'",
                    "      the depth models as Spark tasks (build with -Pcpu,spark; docs/cluster.md)"})
    static final class Paper implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--tier", required = true, description = "cpu (reduced scale, Fashion-MNIST) or gpu (paper scale, CIFAR-10).")
        String tier;
        @Option(names = "--suite", description = "Suite file (default benchmarks/paper-<tier>.yaml).")
        Path suite;
        @Option(names = "--data-dir", description = "Data directory for the suite and its NAS experiment (e.g. the CIFAR-10 binaries).")
        String dataDir;
        @Option(names = "--allow-mixed-builds", description = "Go on with a suite directory started by another build "
                + "(commit) of RedTest; the table then names every build. Without it such a run is refused.")
        boolean allowMixedBuilds;
        @Option(names = "--engine", description = "Where the depth models train: local (each in a JVM of its own here) or "
                + "spark (as Spark tasks, several at once; docs/cluster.md). Overrides the suite's engine.")
        String engine;
        @Option(names = "--master", description = "Spark master URL for --engine spark, e.g. local[2] or spark://host:7077. "
                + "Overrides the suite's spark.master.")
        String master;
        @Option(names = "--part", hidden = true, description = "Compute and save one part in this process (what the "
                + "suite runs in a JVM of its own for each part).")
        String part;

        @Override
        public Integer call() {
            SuiteConfig.checkTier(tier);
            Path file = suite != null ? suite : Path.of("benchmarks", "paper-" + tier.toLowerCase(java.util.Locale.ROOT) + ".yaml");
            SuiteConfig config = SuiteConfig.load(file);
            if (engine != null || master != null) {
                config = config.withEngine(engine, master);
            }
            if (!config.tier().equalsIgnoreCase(tier)) {
                throw new RedTestException("suite " + file + " is for the " + config.tier() + " tier, not " + tier);
            }
            PrintWriter out = spec.commandLine().getOut();
            PaperSuite paper = new PaperSuite(config, new PaperSuite.Invocation(file, tier, dataDir, allowMixedBuilds));
            if (part != null) {
                paper.runPart(part, out);
                return 0;
            }
            Console.logComputePath();
            PaperSuite.Outcome outcome = paper.run(out);
            out.println();
            out.print(Files.exists(outcome.markdown()) ? readQuietly(outcome.markdown()) : "");
            out.printf("%nreproduction table: %s, JSON: %s, figures: %s%n", outcome.markdown(), outcome.json(),
                    outcome.markdown().resolveSibling("figures"));
            if (!outcome.unfinished().isEmpty()) {
                out.printf("%d part(s) did not finish (%s): their FAIL rows say why; run the same command again to retry them%n",
                        outcome.unfinished().size(), String.join(", ", outcome.unfinished()));
            }
            out.flush();
            return 0;
        }

        private static String readQuietly(Path p) {
            try {
                return Files.readString(p);
            } catch (java.io.IOException e) {
                return "";
            }
        }
    }

    @Command(name = "gpu-ops", mixinStandardHelpOptions = true,
            description = {"Every cuDNN/cuBLAS/NVRTC operation of the GPU engine against the plain-Java reference, on "
                    + "fixed random data in exact FP32: a table of the largest differences.",
                    "Exit code 0 when every output is within 1e-4 of the reference (relative to its scale), 1 otherwise."},
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench gpu-ops"})
    static final class GpuOps implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return org.redtest.bench.GpuChecks.ops(spec.commandLine().getOut()) == 0 ? 0 : RedTestCli.EXIT_INPUT;
        }
    }

    @Command(name = "gpu-step", mixinStandardHelpOptions = true,
            description = {"Two training steps of a model on the GPU engine (exact FP32) against DL4J's own layers on the "
                    + "CPU, from the same parameters and batch: loss, every gradient, parameter, batch-norm statistic "
                    + "and the velocity compared.",
                    "Exit code 0 when all are within tolerance, 1 otherwise."},
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench gpu-step --model resnet20",
                    "  bin/redtest bench gpu-step --model 'nats[C=16,N=1]:#1462'"})
    static final class GpuStep implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ModelOption model = new ModelOption("resnet20");
        @Mixin
        BatchSizeOption batchSize = new BatchSizeOption(8);
        @Option(names = "--size", defaultValue = "32", description = "Image height and width (default ${DEFAULT-VALUE}).")
        int size;

        @Override
        public Integer call() {
            return org.redtest.bench.GpuChecks.step(model.value(), batchSize.value(), size, spec.commandLine().getOut()) == 0
                    ? 0 : RedTestCli.EXIT_INPUT;
        }
    }

    @Command(name = "gpu-peer", mixinStandardHelpOptions = true,
            description = {"Training and inference images per second of our GPU engine on CIFAR ResNets (random 3x32x32 "
                    + "batches, the training recipe's optimiser), to set beside PyTorch on the same GPU "
                    + "(the bundle's gpu-smoke.sh runs both).",
                    "TF32 is allowed unless -Dredtest.cuda.tf32=false."},
            footerHeading = "%nExamples:%n",
            footer = {"  bin/redtest bench gpu-peer --models resnet20,resnet56 --batch-size 128"})
    static final class GpuPeer implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--models", split = ",", defaultValue = "resnet20,resnet56",
                description = "Model specs, comma-separated (default ${DEFAULT-VALUE}).")
        java.util.List<String> models;
        @Mixin
        BatchSizeOption batchSize = new BatchSizeOption(128);
        @Option(names = "--batches", defaultValue = "20", description = "Timed batches per model (default ${DEFAULT-VALUE}).")
        int batches;
        @Mixin
        JsonFileOption json = new JsonFileOption();

        @Override
        public Integer call() {
            json.write(org.redtest.bench.GpuChecks.rates(models, batchSize.value(), batches, spec.commandLine().getOut()));
            return 0;
        }
    }
}
