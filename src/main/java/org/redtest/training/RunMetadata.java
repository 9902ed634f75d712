package org.redtest.training;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.redtest.RedTestException;
import org.redtest.data.ChannelNormalization;
import org.redtest.config.TrainingConfig;
import org.redtest.data.DataSpec;
import org.redtest.zoo.ArchitectureSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a checkpoint needs besides its weights to be used again ({@code run.json} beside
 * {@code model.zip}): the model spec, input shape, class count, the data and its normalisation, and
 * the training recipe (which fine-tuning after pruning reuses).
 */
public record RunMetadata(String name, ArchitectureSpec modelSpec, Shape inputShape, int classes, DataSpec data,
                          double[] normalizationMean, double[] normalizationStd, long seed, String configHash,
                          int epochsPlanned, TrainingConfig training) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule() // the input shape as run.json has always written it: "3x32x32"
                    .addSerializer(Shape.class, new ToStringSerializer(Shape.class))
                    .addDeserializer(Shape.class, new FromStringDeserializer<>(Shape.class) {
                        @Override
                        protected Shape _deserialize(String text, DeserializationContext context) {
                            return Shape.parse(text);
                        }
                    }));

    public ChannelNormalization normalization() {
        return new ChannelNormalization(normalizationMean, normalizationStd);
    }

    /** The network this run trains: its model spec built for its input shape and classes. */
    public NetworkBlueprint blueprint() {
        return modelSpec.architecture().blueprint(inputShape, classes);
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RunMetadata fromJson(String json, Path source) {
        try {
            return JSON.readValue(json, RunMetadata.class);
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RedTestException bad) { // a model spec or shape that no longer parses: its own message
                    throw bad;
                }
            }
            throw new RedTestException("run metadata " + source + " is unreadable: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The run.json beside a checkpoint file, if there is one. */
    public static java.util.Optional<RunMetadata> besides(Path checkpoint) {
        Path file = checkpoint.toAbsolutePath().resolveSibling(CheckpointStore.METADATA_FILE);
        try {
            return Files.exists(file) ? java.util.Optional.of(fromJson(Files.readString(file), file)) : java.util.Optional.empty();
        } catch (java.io.IOException e) {
            throw new RedTestException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
