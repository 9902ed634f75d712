package org.redtest.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.engine.LatencyMeter;
import org.redtest.pruning.Rounding;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Print a model's size: params, FLOPs, measured units and optionally latency.",
                "Model specs: resnet20 ... resnet1202 (CIFAR ResNets of He et al. 2016: depth 6k+2, three stages of "
                        + "k BasicBlocks at 16/32/64 channels; resnet50 has 0.76 M parameters, it is not torchvision's "
                        + "ImageNet ResNet-50), resnet:a-b-c (a, b, c blocks per stage), vgg11, vgg13, vgg16, vgg19, "
                        + "vgg:64,M,128,... (channel counts, M = max pooling), nats:<arch> and nats[C=16,N=5]:<arch> "
                        + "(a NATS-Bench cell string, or nats:#index).",
                "Params and FLOPs are counted as README.md, 'Model specs', describes."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest info --model resnet56",
                "  bin/redtest info --model 'resnet:6-1-6' --input 1x32x32 --latency --json"})
final class InfoCommand implements Callable<Integer> {
    /** A spread beyond this share of the median says the timing is noise more than the model. */
    static final double NOISY = 0.10;
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Option(names = "--model", required = true, description = "Model spec, e.g. resnet56, vgg19, 'resnet:6-1-6', 'nats:<arch>' (README.md, 'Model specs').")
    String model;

    @Option(names = "--input", defaultValue = "3x32x32", description = "Input shape CxHxW (default ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--classes", defaultValue = "10", description = "Number of classes (default ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--latency", description = "Also measure the median batch-1 forward time (ms; seconds in --json).")
    boolean latency;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (classes < 1) {
            throw new org.redtest.RedTestException("--classes must be >= 1, got " + classes);
        }
        Shape shape = Shape.parse(input);
        NetworkBlueprint bp = ModelSpec.parse(model).blueprint(shape, classes);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model", bp.spec());
        info.put("family", bp.family().name().toLowerCase());
        info.put("input", shape.toString());
        info.put("classes", classes);
        info.put("params", bp.params());
        info.put("flops", bp.flops());
        info.put("units", bp.unitNames());
        if (latency) {
            Console.logComputePath();
            ComputationGraph graph = Dl4jGraphFactory.create(bp, GraphSettings.inference(0));
            LatencyMeter.Latency timed = LatencyMeter.inRounds(List.of(graph), shape, 7, 15).get(0);
            info.put("latency_s", timed.medianSeconds());
            info.put("latency_spread_s", timed.spreadSeconds());
        }
        if (json.requested) {
            out().println(Console.json(info));
        } else {
            out().printf("model    %s (%s)%ninput    %s, %d classes%nparams   %,d%nflops    %,d%nunits    %d: %s%n",
                    bp.spec(), info.get("family"), shape, classes, bp.params(), bp.flops(), bp.units().size(),
                    String.join(" ", bp.unitNames()));
            ModelSpec.torchvisionNote(model).ifPresent(note -> out().println("note     " + note));
            if (latency) {
                double median = (double) info.get("latency_s");
                double spread = (double) info.get("latency_spread_s");
                out().printf("latency  %s ms (median batch-1 forward over 7 timing rounds ± half their interquartile range)%n",
                        Rounding.withSpread(1000 * median, 1000 * spread));
                if (spread > NOISY * median) {
                    out().println("         noisy: the rounds differ by more than 10 %; the machine is busy or its clock "
                            + "changing, so compare latencies timed side by side (prune does), not across commands");
                }
            }
        }
        return 0;
    }
}
