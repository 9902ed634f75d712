package org.redtest.cli;

import onnx.Onnx.ModelProto;
import org.redtest.RedTestException;
import org.redtest.io.AtomicFiles;
import org.redtest.onnx.ExportCheck;
import org.redtest.onnx.OnnxExport;
import org.redtest.training.CheckpointStore;
import org.redtest.training.RunMetadata;
import org.redtest.training.TrainedModel;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained (or pruned) model to ONNX (opset 13) for ONNX Runtime, TensorRT or OpenVINO.",
                "Batch norms are kept as BatchNormalization nodes; the input is the normalised image (the channel "
                        + "mean and std are in the metadata); outputs: logits and probabilities."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest export --checkpoint RUN/model.zip --onnx model.onnx",
                "  bin/redtest export --checkpoint RUN/prune-cka-keep6/model.zip --onnx p.onnx",
                "      a pruned model (prune writes one directory per method)"})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A model.zip (its run.json gives the model).")
    Path checkpoint;
    @Option(names = "--onnx", required = true, paramLabel = "OUT.onnx", description = "The ONNX file to write.")
    Path onnx;
    @Option(names = "--model", paramLabel = "MODEL", description = "Model spec of a checkpoint without run.json.")
    String model;
    @Option(names = "--input", defaultValue = "3x32x32", description = "With --model: input shape CxHxW (default ${DEFAULT-VALUE}).")
    String input;
    @Option(names = "--classes", defaultValue = "10", description = "With --model: classes (default ${DEFAULT-VALUE}).")
    int classes;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(checkpoint)) {
            throw new RedTestException("checkpoint not found: " + checkpoint);
        }
        if (Files.isDirectory(onnx)) {
            throw new RedTestException("--onnx " + onnx + " is a directory; give a file path, e.g. " + onnx.resolve("model.onnx"));
        }
        boolean withRun = RunMetadata.besides(checkpoint).isPresent();
        if (!withRun && model == null) {
            throw new RedTestException("no run.json beside " + checkpoint + ": give its model spec with --model "
                    + "(and --input, --classes)");
        }
        try (TrainedModel trained = withRun && model == null ? TrainedModel.open(checkpoint) : openAs(model)) {
            ModelProto proto = OnnxExport.of(trained.blueprint(), trained.graph(), trained.normalization());
            double gap = ExportCheck.largestGap(proto, trained.blueprint(), trained.graph(), 4);
            if (!(gap <= 1e-4)) {
                throw new RedTestException("the export of " + checkpoint + " disagrees with DL4J in ONNX Runtime "
                        + "(largest probability gap " + gap + "); nothing written");
            }
            try {
                if (onnx.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(onnx.toAbsolutePath().getParent());
                }
                AtomicFiles.write(onnx, proto::writeTo);
            } catch (IOException e) {
                throw new RedTestException("cannot write " + onnx + ": " + e.getMessage(), e);
            }
            spec.commandLine().getOut().printf("%s (%s, %d units) exported to %s; ONNX Runtime agrees with DL4J "
                            + "(largest probability gap %.1e on 4 random images)%n", checkpoint, trained.architecture().spec(),
                    trained.blueprint().units().size(), onnx, gap);
        }
        return 0;
    }

    private TrainedModel openAs(String spec) {
        Architecture architecture = ModelSpec.parse(spec);
        Shape shape = Shape.parse(input);
        return TrainedModel.of(CheckpointStore.load(checkpoint), architecture, architecture.blueprint(shape, classes), null);
    }
}
