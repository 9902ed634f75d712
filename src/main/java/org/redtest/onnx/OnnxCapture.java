package org.redtest.onnx;

import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.RedTestException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captures the units of an imported model as our own capture does: each unit's output globally average-pooled
 * to n x C as it is produced. The graph is rewritten so its only outputs are pooling taps on the units (a
 * GlobalAveragePool per feature map, run by ONNX Runtime), so only n x C values per unit leave the runtime.
 * A model with a fixed batch size is run that many images at a time.
 */
public final class OnnxCapture implements AutoCloseable {
    private static final String TAP = "redtest.tap.";

    private final OnnxModel model;
    private final List<String> units;
    private final OnnxSession session;

    private OnnxCapture(OnnxModel model, List<String> units, OnnxSession session) {
        this.model = model;
        this.units = List.copyOf(units);
        this.session = session;
    }

    /** {@code shapes} gives each unit's rank (from {@link #shapes}). */
    public static OnnxCapture open(OnnxModel model, List<String> units, Map<String, long[]> shapes) {
        GraphProto.Builder g = model.graph().toBuilder().clearOutput();
        for (int i = 0; i < units.size(); i++) {
            String unit = units.get(i);
            long[] shape = shapes.get(unit);
            String op = shape.length == 4 ? "GlobalAveragePool" : shape.length == 2 ? "Identity" : "Flatten";
            g.addNode(NodeProto.newBuilder().setOpType(op).setName(TAP + i).addInput(unit).addOutput(TAP + i));
            g.addOutput(floatOutput(TAP + i));
        }
        ModelProto tapped = model.proto().toBuilder().setGraph(g).build();
        return new OnnxCapture(model, units, new OnnxSession(tapped, model.input().name(), model.file().toString()));
    }

    /** The shapes of {@code tensors} for one image (one fixed batch), from one run of the model on zeros. */
    public static Map<String, long[]> shapes(OnnxModel model, List<String> tensors) {
        GraphProto.Builder g = model.graph().toBuilder().clearOutput();
        tensors.forEach(t -> g.addOutput(floatOutput(t)));
        ModelProto probe = model.proto().toBuilder().setGraph(g).build();
        OnnxModel.ImageInput in = model.input();
        long batch = in.batch() > 0 ? in.batch() : 1;
        try (OnnxSession session = new OnnxSession(probe, in.name(), model.file().toString())) {
            Map<String, OnnxSession.Output> out = session.run(new float[(int) (batch * in.channels() * in.height() * in.width())],
                    new long[] {batch, in.channels(), in.height(), in.width()});
            Map<String, long[]> shapes = new LinkedHashMap<>();
            tensors.forEach(t -> shapes.put(t, out.get(t).shape()));
            return shapes;
        }
    }

    private static ValueInfoProto floatOutput(String name) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(OnnxModel.FLOAT))).build();
    }

    public List<String> units() {
        return units;
    }

    public OnnxModel model() {
        return model;
    }

    /** One n x d float array per unit, in unit order, for {@code images} of n x C x H x W (the model's input). */
    public List<INDArray> capture(INDArray images) {
        OnnxModel.ImageInput in = model.input();
        long[] shape = images.shape();
        if (shape.length != 4 || shape[1] != in.channels() || shape[2] != in.height() || shape[3] != in.width()) {
            throw new RedTestException("images of shape " + Arrays.toString(shape) + " do not fit " + model.file()
                    + ", which takes N x " + in.channels() + " x " + in.height() + " x " + in.width());
        }
        int n = (int) shape[0];
        int step = in.batch() > 0 ? (int) in.batch() : n;
        if (n % step != 0) {
            throw new RedTestException(model.file() + " takes exactly " + step + " images at a time; give a batch size "
                    + "that is a multiple of " + step + " (got " + n + ")");
        }
        int imageSize = in.channels() * in.height() * in.width();
        float[] all = images.dup('c').data().asFloat();
        List<float[]> pooled = new ArrayList<>();
        int[] widths = new int[units.size()];
        for (int from = 0; from < n; from += step) {
            float[] chunk = Arrays.copyOfRange(all, from * imageSize, (from + step) * imageSize);
            Map<String, OnnxSession.Output> out = session.run(chunk, new long[] {step, in.channels(), in.height(), in.width()});
            for (int i = 0; i < units.size(); i++) {
                OnnxSession.Output o = out.get(TAP + i);
                widths[i] = o.values().length / step;
                if (from == 0) {
                    pooled.add(new float[n * widths[i]]);
                }
                System.arraycopy(o.values(), 0, pooled.get(i), from * widths[i], o.values().length);
            }
        }
        List<INDArray> irs = new ArrayList<>(units.size());
        for (int i = 0; i < units.size(); i++) {
            irs.add(Nd4j.create(pooled.get(i), new long[] {n, widths[i]}, 'c'));
        }
        return irs;
    }

    @Override
    public void close() {
        session.close();
    }
}
