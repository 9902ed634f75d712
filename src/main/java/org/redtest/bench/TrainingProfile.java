package org.redtest.bench;

import org.redtest.engine.Engines;
import org.redtest.engine.InferenceSession;
import org.redtest.engine.TrainingSession;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.config.TrainingConfig;
import org.redtest.training.Trainer;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the milliseconds of a training (or inference) step go: a Java Flight Recorder profile of the running
 * thread (Java and native-method samples) while the oneDNN path trains, each sample attributed to
 * the innermost DL4J layer or vertex method on its stack and to the native ND4J call it waits in.
 * Native work runs on the training thread or on OpenMP threads it waits for, so these shares are
 * shares of wall time.
 */
public final class TrainingProfile {
    private TrainingProfile() {
    }

    public static void run(String model, int batchSize, int batches, boolean inference, PrintWriter out) throws IOException {
        NetworkBlueprint bp = ModelSpec.parse(model).blueprint(new Shape(3, 32, 32), 10);
        TrainingConfig t = TrainingConfig.defaults();
        ComputationGraph graph = Dl4jGraphFactory.create(bp, Trainer.graphSettings(1, t));
        INDArray x = Nd4j.rand(DataType.FLOAT, batchSize, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batchSize, 10);
        for (int i = 0; i < batchSize; i++) {
            y.putScalar(i, i % 10, 1.0);
        }
        DataSet batch = new DataSet(x, y);
        TrainingSession training = Engines.current().training(graph); // training as the trainer runs it
        InferenceSession forward = Engines.current().inference(graph); // what RedTest's inference runs
        Runnable step = inference ? () -> forward.output(x) : () -> training.fit(batch);
        step.run();
        step.run();
        Path file = Files.createTempFile("redtest-profile", ".jfr");
        long t0;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                step.run();
            }
            recording.stop();
            recording.dump(file);
        } finally {
            training.close();
            forward.close();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Integer> byPlace = new HashMap<>();
        int total = 0;
        String thread = Thread.currentThread().getName();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getStackTrace() == null || e.getThread("sampledThread") == null
                    || !thread.equals(e.getThread("sampledThread").getJavaName())) {
                continue;
            }
            byPlace.merge(place(e.getStackTrace().getFrames()), 1, Integer::sum);
            total++;
        }
        Files.deleteIfExists(file);
        out.printf("%s %s, batch %d, %d steps: %.1f img/s; %d samples of the running thread%n", bp.spec(),
                inference ? "inference" : "training", batchSize, batches, batches * batchSize / seconds, total);
        out.printf("%7s  %-45s %s%n", "share", "DL4J layer / vertex method", "innermost call");
        int shown = total;
        for (Map.Entry<String, Integer> e : byPlace.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(20).toList()) {
            out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / shown, e.getKey());
        }
        out.flush();
    }

    /** "innermost DL4J layer method" + the top frame (the native ND4J call or Java method running). */
    private static String place(List<RecordedFrame> frames) {
        String top = frames.isEmpty() ? "?" : simple(frames.get(0));
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("org.deeplearning4j.nn.layers.") || type.startsWith("org.deeplearning4j.nn.graph.vertex.impl.")
                    || type.startsWith("org.deeplearning4j.nn.updater.") || type.startsWith("org.nd4j.linalg.learning.")) {
                return String.format("%-45s %s", simple(f), top);
            }
        }
        return String.format("%-45s %s", "(graph bookkeeping)", top);
    }

    private static String simple(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }
}
