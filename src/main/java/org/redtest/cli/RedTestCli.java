package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.engine.Device;
import org.redtest.console.JavaCppVersionWarnings;
import org.redtest.engine.DeviceUnavailableException;
import org.redtest.engine.Engines;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.process.ParentWatch;
import org.redtest.process.TempDirectory;
import org.redtest.console.Verbose;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Entry point of {@code bin/redtest}. Domain errors become one line on stderr and a non-zero exit code. */
@Command(name = "redtest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Measure and remove structural redundancy in deep neural networks (RedTest, arXiv 2411.10507).",
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest run configs/quickstart.yaml",
                "      train, evaluate, measure and prune a small ResNet (several minutes)",
                "  bin/redtest info --model resnet56",
                "  bin/redtest help train"},
        subcommands = {RunCommand.class, TrainCommand.class, EvaluateCommand.class, InfoCommand.class, DoctorCommand.class, MsrsCommand.class,
                SimilarityCommand.class, ExportCommand.class, FitExpectedCommand.class, PruneCommand.class, SearchCommand.class, BenchCommand.class, ReportCommand.class,
                RunsCommand.class, CompareCommand.class,
                CommandLine.HelpCommand.class})
public final class RedTestCli implements Callable<Integer> {
    /** Exit codes: 1 for a problem with the user's input, 2 for a bad command line, 3 for a bug. */
    public static final int EXIT_INPUT = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 3;
    /** The device asked for (--device cuda, device: cuda, -Dredtest.device) cannot run here: no usable GPU. */
    public static final int EXIT_NO_DEVICE = 4;
    /** Training stopped by SIGINT or SIGTERM, marked 'interrupted' and resumable (128 + SIGINT, as a shell expects). */
    public static final int EXIT_INTERRUPTED = 130;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @Option(names = "--device", scope = CommandLine.ScopeType.INHERIT, paramLabel = "DEVICE",
            description = "Where networks run: cpu (the default: our oneDNN path), cuda (an NVIDIA GPU, Turing or newer, "
                    + "with a CUDA 13 driver and libraries) or dl4j (DL4J's own layer code on the CPU, the reference). "
                    + "Overrides an experiment file's 'device:'.")
    String device;

    @Spec
    CommandSpec spec;

    /** {@code redtest} alone asks what it can do: the usage, not a "missing subcommand" error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    public static void main(String[] args) {
        var tmp = TempDirectory.problem(); // before any native library is unpacked there
        if (tmp.isPresent()) {
            System.err.println(ErrorLines.input(tmp.get()));
            System.exit(EXIT_INPUT);
        }
        JavaCppVersionWarnings.routeThroughSlf4j();
        CpuAcceleration.configure(); // must precede the first use of ND4J
        ParentWatch.startIfChild(); // a suite's part ends with the suite, even one killed with -9
        System.exit(newCommandLine().execute(args));
    }

    /**
     * Opens the engine {@code --device} names (wherever on the command line it stands) before the command runs,
     * so that a missing GPU is one line at once rather than an error deep inside a stage.
     */
    private static int chooseDeviceThenRun(CommandLine.ParseResult parseResult) {
        if (matchedAnywhere(parseResult, "--verbose")) {
            System.setProperty(Verbose.PROPERTY, "true"); // libraries' own start-up logging shown
        }
        String word = null;
        CommandLine.ParseResult last = parseResult;
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--device")) {
                word = r.matchedOptionValue("--device", word);
            }
            last = r;
        }
        if (word != null) {
            try {
                if (last.commandSpec().userObject() instanceof DoctorCommand) {
                    Engines.choose(Device.parse(word)); // the doctor reports a missing device among its checks
                } else {
                    Engines.use(Device.parse(word));
                }
            } catch (RedTestException e) {
                throw new CommandLine.ExecutionException(parseResult.commandSpec().commandLine(), e.getMessage(), e);
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    private static boolean matchedAnywhere(CommandLine.ParseResult parseResult, String option) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }

    private static boolean deviceUnavailable(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof DeviceUnavailableException) {
                return true;
            }
        }
        return false;
    }

    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new RedTestCli());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose");
            if (verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            if (deviceUnavailable(ex)) {
                cmd.getErr().println(ErrorLines.input(ex.getMessage()));
                return EXIT_NO_DEVICE;
            }
            if (ex instanceof RedTestException) {
                cmd.getErr().println(ErrorLines.input(ex.getMessage()));
                return EXIT_INPUT;
            }
            cmd.getErr().println(ErrorLines.internal(ex, verbose));
            return EXIT_INTERNAL;
        });
        cl.setExecutionStrategy(RedTestCli::chooseDeviceThenRun);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println(ErrorLines.usage(ex));
            return EXIT_USAGE;
        });
        return cl;
    }
}
