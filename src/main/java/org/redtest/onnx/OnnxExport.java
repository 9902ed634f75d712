package org.redtest.onnx;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;
import org.redtest.RedTestException;
import org.redtest.data.ChannelNormalization;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Node;
import org.redtest.zoo.Op;
import org.redtest.zoo.Shape;
import org.redtest.zoo.Unit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a network of our zoo, with its trained parameters, as an ONNX model (opset 13): one ONNX node (or a
 * few) per blueprint node, every tensor named as the node that makes it. Batch norms are kept as
 * BatchNormalization nodes (inference form, running statistics), not folded, so the file mirrors the network.
 * The input is the normalised image (N x C x H x W, N dynamic; the channel statistics are in the metadata); the
 * outputs are {@code logits} and the softmax probabilities under the classifier's name. The measured units are
 * recorded in the metadata ({@link OnnxUnits#UNITS_KEY}), so {@code msrs --onnx --units auto} measures the same
 * units as {@code msrs --checkpoint}.
 */
public final class OnnxExport {
    public static final int OPSET = 13;
    public static final String LOGITS = "logits";
    private static final int IR_VERSION = 7;

    private final NetworkBlueprint blueprint;
    private final ComputationGraph graph;
    private final GraphProto.Builder g = GraphProto.newBuilder();
    private final Map<String, Node> nodes;

    private OnnxExport(NetworkBlueprint blueprint, ComputationGraph graph) {
        this.blueprint = blueprint;
        this.graph = graph;
        this.nodes = blueprint.nodesByName();
    }

    /** The model; {@code normalization} is recorded for users who feed raw images. */
    public static ModelProto of(NetworkBlueprint blueprint, ComputationGraph graph, ChannelNormalization normalization) {
        return new OnnxExport(blueprint, graph).build(normalization);
    }

    private ModelProto build(ChannelNormalization normalization) {
        Shape in = blueprint.input();
        g.setName(blueprint.spec());
        g.addInput(value(NetworkBlueprint.INPUT, -1, in.channels(), in.height(), in.width()));
        for (Node node : blueprint.liveNodes()) {
            add(node);
        }
        List<String> unitTensors = new ArrayList<>();
        Set<String> names = nodes.keySet();
        for (Unit unit : blueprint.units()) {
            if (unit.name().equals(unit.vertex()) || names.contains(unit.name())) {
                unitTensors.add(unit.vertex());
            } else { // the unit's own name, so that --units and the JSON speak as msrs --checkpoint does
                node("Identity", unit.name(), List.of(unit.vertex()));
                unitTensors.add(unit.name());
            }
        }
        g.addOutput(value(LOGITS, -1, blueprint.classes()));
        g.addOutput(value(blueprint.outputName(), -1, blueprint.classes()));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("redtest")
                .setModelVersion(1).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g);
        meta(m, "redtest.spec", blueprint.spec());
        meta(m, OnnxUnits.FAMILY_KEY, blueprint.family().name().toLowerCase());
        meta(m, OnnxUnits.UNITS_KEY, String.join(",", unitTensors));
        if (normalization != null) {
            meta(m, "redtest.input.mean", join(normalization.mean()));
            meta(m, "redtest.input.std", join(normalization.std()));
        }
        return m.build();
    }

    private void add(Node node) {
        String name = node.name();
        List<String> inputs = node.inputs();
        Op op = node.op();
        if (op instanceof Op.Conv c) {
            List<String> ins = new ArrayList<>(List.of(inputs.get(0), weight(name, DefaultParamInitializer.WEIGHT_KEY)));
            if (c.bias()) {
                ins.add(weight(name, DefaultParamInitializer.BIAS_KEY, c.outChannels()));
            }
            node("Conv", name, ins, ints("kernel_shape", c.kernel(), c.kernel()), ints("strides", c.stride(), c.stride()),
                    ints("pads", c.padding(), c.padding(), c.padding(), c.padding()));
        } else if (op instanceof Op.BatchNorm) {
            batchNorm(node);
        } else if (op instanceof Op.Relu) {
            node("Relu", name, inputs);
        } else if (op instanceof Op.Add) {
            addAll(name, inputs);
        } else if (op instanceof Op.MaxPool p) {
            node("MaxPool", name, inputs, ints("kernel_shape", p.kernel(), p.kernel()), ints("strides", p.stride(), p.stride()));
        } else if (op instanceof Op.AvgPool p) {
            node("AveragePool", name, inputs, ints("kernel_shape", p.kernel(), p.kernel()),
                    ints("strides", p.stride(), p.stride()), ints("pads", p.padding(), p.padding(), p.padding(), p.padding()),
                    AttributeProto.newBuilder().setName("count_include_pad").setType(AttributeProto.AttributeType.INT)
                            .setI(p.countPadding() ? 1 : 0).build());
        } else if (op instanceof Op.ShortcutA s) {
            shortcutA(node, s);
        } else if (op instanceof Op.Zeros) {
            node("Mul", name, List.of(inputs.get(0), constant(name + ".zero", new float[] {0f})));
        } else if (op instanceof Op.Identity || op instanceof Op.Dropout) {
            node("Identity", name, inputs); // dropout is the identity at inference
        } else if (op instanceof Op.GlobalAvgPool) {
            node("GlobalAveragePool", name + ".pool", inputs);
            node("Flatten", name, List.of(name + ".pool"));
        } else if (op instanceof Op.Dense d) {
            String gemm = d.relu() ? name + ".linear" : name;
            dense(name, inputs.get(0), gemm, d.outFeatures());
            if (d.relu()) {
                node("Relu", name, List.of(gemm));
            }
        } else if (op instanceof Op.Classifier c) {
            dense(name, inputs.get(0), LOGITS, c.classes());
            node("Softmax", name, List.of(LOGITS), AttributeProto.newBuilder().setName("axis")
                    .setType(AttributeProto.AttributeType.INT).setI(1).build());
        } else {
            throw new RedTestException("cannot export node " + name + " (" + op + ") to ONNX");
        }
    }

    /** DL4J's dense weights are nIn x nOut, as Gemm's B without transposition; its input is flattened first. */
    private void dense(String name, String input, String output, int outFeatures) {
        node("Flatten", name + ".flat", List.of(input));
        node("Gemm", output, List.of(name + ".flat", weight(name, DefaultParamInitializer.WEIGHT_KEY),
                weight(name, DefaultParamInitializer.BIAS_KEY, outFeatures)));
    }

    /** DL4J keeps either the running variance or log10 of the running standard deviation (sqrt(var + eps)). */
    private void batchNorm(Node node) {
        String name = node.name();
        Layer layer = layer(name);
        var conf = (org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer();
        Map<String, INDArray> p = layer.paramTable();
        int c = node.output().channels();
        float[] var;
        if (p.containsKey(BatchNormalizationParamInitializer.GLOBAL_VAR)) {
            var = floats(p.get(BatchNormalizationParamInitializer.GLOBAL_VAR));
        } else {
            float[] log10Std = floats(p.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
            var = new float[c];
            for (int i = 0; i < c; i++) {
                var[i] = (float) (Math.pow(10, 2.0 * log10Std[i]) - conf.getEps());
            }
        }
        node("BatchNormalization", name, List.of(node.inputs().get(0),
                constant(name + ".gamma", floats(p.get(BatchNormalizationParamInitializer.GAMMA)), c),
                constant(name + ".beta", floats(p.get(BatchNormalizationParamInitializer.BETA)), c),
                constant(name + ".mean", floats(p.get(BatchNormalizationParamInitializer.GLOBAL_MEAN)), c),
                constant(name + ".var", var, c)),
                AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT)
                        .setF((float) conf.getEps()).build());
    }

    /** As the DL4J graph does it: x[:, :, ::s, ::s] (a 1x1 max pool), then zero channels appended. */
    private void shortcutA(Node node, Op.ShortcutA s) {
        String name = node.name();
        String input = node.inputs().get(0);
        int inChannels = input.equals(NetworkBlueprint.INPUT) ? blueprint.input().channels()
                : nodes.get(input).output().channels();
        int pad = s.outChannels() - inChannels;
        String subsampled = input;
        if (s.stride() != 1) {
            subsampled = pad == 0 ? name : name + ".subsample";
            node("MaxPool", subsampled, List.of(input), ints("kernel_shape", 1, 1), ints("strides", s.stride(), s.stride()));
        }
        if (pad > 0) {
            String pads = name + ".pads";
            g.addInitializer(TensorProto.newBuilder().setName(pads).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(8).addAllInt64Data(List.of(0L, 0L, 0L, 0L, 0L, (long) pad, 0L, 0L)));
            node("Pad", name, List.of(subsampled, pads));
        } else if (s.stride() == 1) {
            node("Identity", name, List.of(input));
        }
    }

    private void addAll(String name, List<String> inputs) {
        if (inputs.size() == 1) {
            node("Identity", name, inputs);
            return;
        }
        String sum = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            String out = i == inputs.size() - 1 ? name : name + ".sum" + i;
            node("Add", out, List.of(sum, inputs.get(i)));
            sum = out;
        }
    }

    private void node(String op, String output, List<String> inputs, AttributeProto... attributes) {
        g.addNode(NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output)
                .addAllAttribute(Arrays.asList(attributes)));
    }

    private Layer layer(String name) {
        Layer layer = graph.getLayer(name);
        if (layer == null) {
            throw new RedTestException("the model has no layer " + name + ": it does not match " + blueprint.spec());
        }
        return layer;
    }

    /** A layer's parameter as an initializer of its own shape. */
    private String weight(String layerName, String key) {
        INDArray w = layer(layerName).paramTable().get(key);
        return constant(layerName + "." + key, floats(w), w.shape());
    }

    /** A bias, stored by DL4J as 1 x n, as the vector ONNX expects. */
    private String weight(String layerName, String key, int length) {
        return constant(layerName + "." + key, floats(layer(layerName).paramTable().get(key)), length);
    }

    private String constant(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        bytes.flip();
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes));
        for (long d : dims) {
            t.addDims(d);
        }
        g.addInitializer(t);
        return name;
    }

    private static float[] floats(INDArray a) {
        return a.dup('c').castTo(DataType.FLOAT).data().asFloat();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /** A float tensor value; {@code -1} marks the dynamic batch dimension. */
    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(OnnxModel.FLOAT).setShape(shape))).build();
    }

    private static void meta(ModelProto.Builder m, String key, String value) {
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    }

    private static String join(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
    }
}
