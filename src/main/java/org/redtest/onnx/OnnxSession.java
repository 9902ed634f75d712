package org.redtest.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import onnx.Onnx.ModelProto;
import org.redtest.RedTestException;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime session (CPU) over a model held in memory: float images in, the named float outputs back as
 * Java arrays with their shapes. ONNX Runtime's errors (an op it does not implement, a malformed graph) become one
 * line naming the model; it names the node itself.
 */
public final class OnnxSession implements AutoCloseable {
    /** One output: its shape and values, row-major. */
    public record Output(long[] shape, float[] values) {
    }

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final String modelName;

    public OnnxSession(ModelProto model, String inputName, String modelName) {
        this.inputName = inputName;
        this.modelName = modelName;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            this.session = env.createSession(model.toByteArray(), options);
        } catch (OrtException e) {
            throw new RedTestException("ONNX Runtime cannot load " + modelName + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** Runs {@code values} (row-major, of {@code shape}) and returns the graph's outputs by name. */
    public Map<String, Output> run(float[] values, long[] shape) {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
             OrtSession.Result result = session.run(Map.of(inputName, input))) {
            Map<String, Output> outputs = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                FloatBuffer buffer = t.getFloatBuffer();
                if (buffer == null) {
                    throw new RedTestException("output '" + e.getKey() + "' of " + modelName + " is not a float tensor");
                }
                float[] out = new float[buffer.remaining()];
                buffer.get(out);
                outputs.put(e.getKey(), new Output(t.getInfo().getShape(), out));
            }
            return outputs;
        } catch (OrtException e) {
            throw new RedTestException("ONNX Runtime failed to run " + modelName + " on images of shape "
                    + java.util.Arrays.toString(shape) + ": " + firstLine(e.getMessage()), e);
        }
    }

    public List<String> outputNames() {
        return new ArrayList<>(session.getOutputNames());
    }

    static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String line = message.strip();
        int cut = line.indexOf('\n');
        return cut < 0 ? line : line.substring(0, cut).strip();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
