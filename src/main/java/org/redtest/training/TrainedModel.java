package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.redtest.RedTestException;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.ImageDataset;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A model ready to be measured, pruned or evaluated, as one value: its DL4J graph, the architecture and
 * blueprint it was built from, the normalisation its inputs need, and where it came from (the checkpoint
 * file and the run.json beside it, when it has them). Closing it frees the graph's native memory, so the code
 * that opens or builds one closes it (try-with-resources); a view of a graph that something else owns (the
 * trainer's, during training) is left open.
 */
public final class TrainedModel implements AutoCloseable {
    private final ComputationGraph graph;
    private final NetworkBlueprint blueprint;
    private final Architecture architecture;
    private final ChannelNormalization normalization;
    private final Path checkpoint;
    private final RunMetadata metadata;

    private TrainedModel(ComputationGraph graph, Architecture architecture, NetworkBlueprint blueprint,
                         ChannelNormalization normalization, Path checkpoint, RunMetadata metadata) {
        this.graph = graph;
        this.architecture = architecture;
        this.blueprint = blueprint;
        this.normalization = normalization;
        this.checkpoint = checkpoint;
        this.metadata = metadata;
    }

    /** A graph in memory (just built or trained) with what it was built from; no checkpoint. */
    public static TrainedModel of(ComputationGraph graph, Architecture architecture, NetworkBlueprint blueprint,
                                  ChannelNormalization normalization) {
        return new TrainedModel(graph, architecture, blueprint, normalization, null, null);
    }

    /**
     * Opens {@code checkpoint} (a model.zip) as {@code architecture} built for images like {@code images} (their
     * shape and class count); {@code metadata} is the run.json beside it, or null.
     */
    public static TrainedModel open(Path checkpoint, Architecture architecture, ImageDataset images,
                                    ChannelNormalization normalization, RunMetadata metadata) {
        NetworkBlueprint blueprint = architecture.blueprint(
                new Shape(images.channels(), images.height(), images.width()), images.numClasses());
        return new TrainedModel(CheckpointStore.load(checkpoint, blueprint), architecture, blueprint, normalization,
                checkpoint, metadata);
    }

    /** Opens a checkpoint that train wrote: the run.json beside it names its model, inputs and normalisation. */
    public static TrainedModel open(Path checkpoint) {
        RunMetadata run = RunMetadata.besides(checkpoint).orElseThrow(() -> new RedTestException(
                "no run.json beside " + checkpoint + ": it names the model spec, data and normalisation"));
        Architecture architecture = run.modelSpec().architecture();
        NetworkBlueprint blueprint = architecture.blueprint(run.inputShape(), run.classes());
        return new TrainedModel(CheckpointStore.load(checkpoint, blueprint), architecture, blueprint, run.normalization(),
                checkpoint, run);
    }

    /** The same model as the contents of {@code checkpoint} of the run {@code metadata} describes (just trained and saved there). */
    public TrainedModel savedAs(Path checkpoint, RunMetadata metadata) {
        return new TrainedModel(graph, architecture, blueprint, normalization, checkpoint, metadata);
    }

    public ComputationGraph graph() {
        return graph;
    }

    public Architecture architecture() {
        return architecture;
    }

    public NetworkBlueprint blueprint() {
        return blueprint;
    }

    public ChannelNormalization normalization() {
        return normalization;
    }

    /** How many classes the model predicts (its blueprint's classifier). */
    public int classes() {
        return blueprint.classes();
    }

    /** The checkpoint file it was opened from or saved to, if any. */
    public Optional<Path> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    /** The run.json of the run that trained it, if it has one. */
    public Optional<RunMetadata> metadata() {
        return Optional.ofNullable(metadata);
    }

    @Override
    public void close() {
        graph.close();
    }
}
