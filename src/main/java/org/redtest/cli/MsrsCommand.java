package org.redtest.cli;

import org.redtest.RedTestException;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.MeasureConfig;
import org.redtest.config.Sampling;
import org.redtest.data.DataSpec;
import org.redtest.data.LoadedData;
import org.redtest.data.Split;
import org.redtest.experiment.ExperimentRun;
import org.redtest.experiment.MeasureStage;
import org.redtest.measure.MeasurementReport;
import org.redtest.onnx.OnnxModel;
import org.redtest.onnx.UnitChoice;
import org.redtest.similarity.CkaHeatmap;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.training.RunMetadata;
import org.redtest.training.TrainedModel;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.ArchitectureSpec;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSize;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "msrs", mixinStandardHelpOptions = true,
        description = {"Measure a model's structural redundancy: unbiased CKA between all measured units and MSRS.",
                "Writes msrs-cka.png (heatmap) and msrs.json beside the checkpoint (or in --out) and a row in the database."},
        // picocli has no "one or both" group, so the synopsis says it and call() checks it
        customSynopsis = {"redtest msrs (--checkpoint=FILE [--model=MODEL] | --model=MODEL) [OPTIONS]",
                "redtest msrs --onnx=MODEL.onnx (--inputs=IMAGES.npy | --dataset=NAME) [--units=auto|list|NAME,...] [OPTIONS]"},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest msrs --checkpoint checkpoints/quickstart/model.zip",
                "  bin/redtest msrs --model resnet56 --dataset fashion-mnist --batches 2",
                "      an untrained ResNet-56",
                "  bin/redtest msrs --checkpoint FILE --model resnet20 --dataset fashion-mnist",
                "      a checkpoint without the run.json that train writes beside it",
                "  bin/redtest msrs --onnx resnet18.onnx --inputs images.npy --batch-size 64",
                "      any CNN exported to ONNX (--units list: the candidate units)"})
final class MsrsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A model.zip written by train, or its run directory (its run.json gives model and data).")
    Path checkpoint;
    @Option(names = "--model", paramLabel = "MODEL", description = "Model spec: an untrained model, or the spec of a checkpoint without run.json.")
    String model;

    @Option(names = "--onnx", paramLabel = "MODEL.onnx", description = "Measure an ONNX model (any framework's export) instead.")
    Path onnx;
    @Option(names = "--units", defaultValue = "auto", paramLabel = "auto|list|NAME,...",
            description = "With --onnx: auto (found from the graph), list (print the candidates with their shapes), "
                    + "or tensor names (default ${DEFAULT-VALUE}).")
    String units;
    @Mixin
    ModelImagesOption images = new ModelImagesOption();
    @Option(names = "--plot", paramLabel = "FILE", description = "With --onnx: the heatmap's PNG path (default: in --out).")
    Path plot;

    @Mixin
    RunDataOption runData = new RunDataOption();
    @Option(names = "--split", defaultValue = "test", description = "test or train (default ${DEFAULT-VALUE}).")
    String split;
    @Option(names = "--batches", defaultValue = "10", description = "Batches to measure (default ${DEFAULT-VALUE}).")
    int batches;
    @Mixin
    BatchSizeOption batchSize = new BatchSizeOption(256);
    @Option(names = "--sampling", defaultValue = "first", description = "first (the first batches) or random (seeded) (default ${DEFAULT-VALUE}).")
    String sampling;
    @Option(names = "--seed", defaultValue = "42", description = "Seed for random sampling and untrained weights (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--beta", description = "MSRS beta (default 100).")
    Double beta;
    @Option(names = "--gamma", description = "MSRS gamma (default 0.8 for ResNet/NATS, 0.7 for VGG).")
    Double gamma;
    @Option(names = "--out", description = "Directory for the heatmap and JSON (default: the checkpoint's directory).")
    Path out;
    @Mixin
    DatabaseOption databaseOption;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (onnx != null) {
            return measureOnnx();
        }
        if (images.inputs != null || plot != null || images.fit) {
            throw new ParameterException(spec.commandLine(), "--inputs, --plot and --fit-input go with --onnx");
        }
        if (checkpoint == null && model == null) {
            throw new ParameterException(spec.commandLine(), "give --checkpoint FILE (a trained model), --model MODEL "
                    + "(an untrained one) or both (a checkpoint without run.json)");
        }
        MeasureConfig.checkMsrsParameters("--beta", beta, "--gamma", gamma);
        MeasureConfig measure = MeasureConfig.defaults().withBatches(batches).withBatchSize(batchSize.value())
                .withSampling(Sampling.parse(sampling)).withSplit(Split.parse(split)).withMsrs(beta, gamma).withSeed(seed)
                .validate();
        Optional<RunMetadata> run = Optional.empty();
        if (checkpoint != null) {
            checkpoint = CheckpointPath.resolve(checkpoint);
            run = RunMetadata.besides(checkpoint);
            if (run.isEmpty() && model == null) {
                throw new RedTestException("no run.json beside " + checkpoint + ": give its model spec with --model as well");
            }
        }
        ArchitectureSpec modelSpec = model != null ? ArchitectureSpec.parse(model) : run.get().modelSpec();
        Architecture architecture = modelSpec.architecture();
        DataSpec dataSpec = DataChoice.resolve(run, runData.dataset, runData.dataDir, null,
                "which data? give --dataset (fashion-mnist, cifar10, cifar100)");
        Console.logComputePath();
        ExperimentConfig settings = ExperimentRun.settingsOf(run, dataSpec).withModel(modelSpec).withMeasure(measure)
                .withSeed(seed);
        try (ExperimentRun measured = ExperimentRun.ofCheckpoint(checkpoint, run.orElse(null), settings,
                databaseOption.path(), spec.commandLine().getOut())) {
            if (checkpoint == null) {
                measured.use(untrained(architecture, measured.data()));
            }
            // ad hoc whatever its settings: only the measure stage's row speaks for a run (CanonicalMeasurements)
            MeasureStage.Recorded recorded = MeasureStage.measure(measured, MeasurementOrigin.AD_HOC,
                    outputDirectory(architecture, measured.data()), "msrs");
            Long runId = measured.runId();
            var out = spec.commandLine().getOut();
            if (json.requested) {
                out.println(MeasurementReport.json(recorded.measurement(), MeasurementOrigin.AD_HOC));
            } else {
                recorded.print(out);
                out.println("recorded in " + measured.db().file() + " as an ad-hoc measurement" + (runId == null ? ""
                        : " of run '" + run.get().name() + "' (the run's canonical MSRS stays the one of its measure stage)"));
            }
        }
        return 0;
    }

    private int measureOnnx() {
        if (checkpoint != null || model != null) {
            throw new ParameterException(spec.commandLine(), "--onnx measures the ONNX file alone; leave out --checkpoint and --model");
        }
        MeasureConfig.checkMsrsParameters("--beta", beta, "--gamma", gamma);
        if (batches < 1 || batchSize.value() < 4) {
            throw new ParameterException(spec.commandLine(), "--batches must be >= 1 and --batch-size >= 4");
        }
        if (plot != null) {
            CkaHeatmap.requireFileTarget(plot);
        }
        OnnxModel m = OnnxModel.read(onnx);
        var out = spec.commandLine().getOut();
        if (units.equals("list")) {
            OnnxMsrs.list(m, out);
            return 0;
        }
        Map<String, long[]> candidates = units.equals("auto") ? OnnxMsrs.candidateShapes(m) : Map.of();
        UnitChoice choice = OnnxMsrs.choose(m, units, candidates);
        ModelImagesOption.Images loaded = images.load(runData.dataset, runData.dataDir, m.input(),
                (long) batches * batchSize.value());
        Path dir = this.out != null ? this.out
                : Path.of("checkpoints", "msrs", "onnx-" + onnx.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_"));
        OnnxMsrs.measure(m, choice, candidates, loaded, batches, batchSize.value(), beta, gamma, dir, plot, databaseOption.path(),
                json.requested, out);
        return 0;
    }

    /** An untrained model with seeded weights, for the data's images and classes. */
    private TrainedModel untrained(Architecture architecture, LoadedData data) {
        var train = data.train();
        NetworkBlueprint blueprint = architecture.blueprint(new Shape(train.channels(), train.height(), train.width()),
                train.numClasses());
        // a batch never holds more images than the split has (ProbeBatches)
        ModelSize.requireFits(blueprint, Math.min(batchSize.value(), Math.max(data.train().size(), data.test().size())));
        return TrainedModel.of(Dl4jGraphFactory.create(blueprint, GraphSettings.inference(seed)), architecture, blueprint,
                data.normalization());
    }

    private Path outputDirectory(Architecture architecture, LoadedData data) {
        if (out != null) {
            return out;
        }
        if (checkpoint != null) {
            return checkpoint.toAbsolutePath().getParent();
        }
        return Path.of("checkpoints", "msrs", (architecture.spec() + "-" + data.test().name()).replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
