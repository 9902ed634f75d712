package org.redtest.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.redtest.RedTestException;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * ONNX Runtime's CPU inference rate of an ONNX model, the inference peer people deploy CNNs with: all graph
 * optimisations (fusions, constant folding, layout changes), {@code threads} intra-op threads, sequential
 * execution, one fixed random batch, two untimed runs first, as the other peers measure.
 */
final class OnnxRuntimePeer implements AutoCloseable {
    static final String VARIANT = "ONNX Runtime (CPU, all optimisations)";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;

    OnnxRuntimePeer(Path model, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            this.session = env.createSession(model.toString(), options);
            this.inputName = session.getInputNames().iterator().next();
        } catch (OrtException e) {
            throw new RedTestException("ONNX Runtime cannot load " + model + ": " + e.getMessage(), e);
        }
    }

    /** Images per second over {@code batches} timed runs of a random batch of {@code size} 3x32x32 images. */
    double inferImgPerS(int size, int batches) {
        float[] values = new float[size * 3 * 32 * 32];
        Random r = new Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextFloat();
        }
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[]{size, 3, 32, 32})) {
            Map<String, OnnxTensor> feed = Map.of(inputName, input);
            for (int i = 0; i < 2; i++) {
                session.run(feed).close();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                session.run(feed).close();
            }
            return batches * (double) size / ((System.nanoTime() - t0) / 1e9);
        } catch (OrtException e) {
            throw new RedTestException("ONNX Runtime failed to run the peer model: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new RedTestException("cannot close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
