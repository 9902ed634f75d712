package org.redtest.engine.cpu;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph that inference runs on the fast CPU path: a copy of a trained graph in which every batch norm
 * that is the only reader of a convolution is folded into it (weights scaled and a bias added, from the
 * running statistics), and a plain ReLU that is the only reader of such a batch norm, or of a sum, is
 * applied by the convolution or the sum as it writes its output. Two or three passes over an activation
 * become one.
 *
 * <p>Only vertices nothing else reads are folded away: every vertex a network output, a measurement tap
 * or a second branch reads stays, with the values it had (up to float rounding). On DL4J's own path and on
 * other backends the trained graph itself is used, unchanged. The copy is a snapshot of the weights:
 * make one per evaluation, after training steps.
 */
public final class InferenceGraph implements AutoCloseable {
    private final ComputationGraph graph;
    private final boolean copy;
    private final int folded;

    private InferenceGraph(ComputationGraph graph, boolean copy, int folded) {
        this.graph = graph;
        this.copy = copy;
        this.folded = folded;
    }

    /** A sum (element-wise addition vertex) and the plain ReLU that alone reads it. */
    record SumRelu(String sum, String relu) {
    }

    /** The graph to run {@code trained}'s inference on: a folded copy, or {@code trained} when nothing folds. */
    public static InferenceGraph of(ComputationGraph trained) {
        // direct oneDNN convolutions also mean oneDNN's Java bindings load, which the fused sums need
        if (FastCpuPath.directConvolutionCount(trained) == 0) {
            return new InferenceGraph(trained, false, 0);
        }
        List<Chain> chains = chains(trained.getConfiguration());
        List<SumRelu> sumRelus = sumRelus(trained.getConfiguration());
        if (chains.isEmpty() && sumRelus.isEmpty()) {
            return new InferenceGraph(trained, false, 0);
        }
        ComputationGraph folded = new ComputationGraph(foldedConfiguration(trained.getConfiguration(), chains, sumRelus));
        folded.init();
        Map<String, Chain> byConv = new HashMap<>();
        chains.forEach(c -> byConv.put(c.conv(), c));
        for (Layer layer : folded.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Chain chain = byConv.get(name);
            if (chain != null) {
                foldWeights(trained, chain, layer);
            } else if (layer.numParams() > 0) {
                layer.setParams(trained.getLayer(name).params());
            }
        }
        FastCpuPath.install(folded);
        FastCpuPath.freezeWeights(folded);
        return new InferenceGraph(folded, true, chains.size() + sumRelus.size());
    }

    public ComputationGraph graph() {
        return graph;
    }

    /** How many batch norms were folded into their convolutions and ReLUs into their sums. */
    public int folds() {
        return folded;
    }

    @Override
    public void close() {
        if (copy) {
            graph.close();
        }
    }

    /** A convolution, the batch norm that alone reads it and, when it alone reads that, a plain ReLU (else null). */
    record Chain(String conv, String batchNorm, String relu) {
    }

    /** The chains a graph can fold, in the configuration's vertex order. */
    static List<Chain> chains(ComputationGraphConfiguration conf) {
        VertexReaders readers = new VertexReaders(conf);
        List<Chain> chains = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            String conv = e.getKey();
            if (!(layerOf(e.getValue()) instanceof ConvolutionLayer c) || c.getClass() != ConvolutionLayer.class
                    || !(c.getActivationFn() instanceof ActivationIdentity) || c.getCnn2dDataFormat() != CNN2DFormat.NCHW
                    || c.getWeightNoise() != null) {
                continue;
            }
            String bn = readers.onlyReader(conv);
            if (bn == null || !(layerOf(conf.getVertices().get(bn)) instanceof BatchNormalization b)
                    || !(b.getActivationFn() instanceof ActivationIdentity) || b.getCnn2DFormat() != CNN2DFormat.NCHW) {
                continue;
            }
            chains.add(new Chain(conv, bn, plainReluReading(bn, readers, conf)));
        }
        return chains;
    }

    /** The sums a graph can fuse with their ReLU. */
    static List<SumRelu> sumRelus(ComputationGraphConfiguration conf) {
        VertexReaders readers = new VertexReaders(conf);
        List<SumRelu> fused = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            String sum = e.getKey();
            if (e.getValue().getClass() != ElementWiseVertex.class
                    || ((ElementWiseVertex) e.getValue()).getOp() != ElementWiseVertex.Op.Add) {
                continue;
            }
            String relu = plainReluReading(sum, readers, conf);
            if (relu != null) {
                fused.add(new SumRelu(sum, relu));
            }
        }
        return fused;
    }

    /** The plain ReLU layer that alone reads {@code name}, when it is no network output (it is folded away); else null. */
    private static String plainReluReading(String name, VertexReaders readers, ComputationGraphConfiguration conf) {
        String relu = readers.onlyReader(name);
        boolean plain = relu != null && layerOf(conf.getVertices().get(relu)) instanceof ActivationLayer a
                && LeanReluLayer.isPlainRelu(a.getActivationFn());
        return plain && !conf.getNetworkOutputs().contains(relu) ? relu : null;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layerOf(GraphVertex v) {
        return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    /**
     * The configuration without the chains' BN and ReLU vertices and the fused sums' ReLUs; their readers read
     * the convolution or the sum instead.
     */
    private static ComputationGraphConfiguration foldedConfiguration(ComputationGraphConfiguration original,
                                                                     List<Chain> chains, List<SumRelu> sumRelus) {
        ComputationGraphConfiguration conf = original.clone();
        Map<String, String> replacedBy = new HashMap<>();
        for (Chain c : chains) {
            replacedBy.put(c.batchNorm(), c.conv());
            if (c.relu() != null) {
                replacedBy.put(c.relu(), c.conv());
            }
            LayerVertex conv = (LayerVertex) conf.getVertices().get(c.conv());
            ConvolutionLayer layer = (ConvolutionLayer) conv.getLayerConf().getLayer();
            layer.setHasBias(true);
            layer.setActivationFn(c.relu() != null ? new ActivationReLU() : new ActivationIdentity());
        }
        for (SumRelu f : sumRelus) {
            replacedBy.put(f.relu(), f.sum());
            conf.getVertices().put(f.sum(), new SumReluVertex());
        }
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        conf.getVertexInputs().forEach((vertex, ins) -> {
            if (!replacedBy.containsKey(vertex)) {
                inputs.put(vertex, ins.stream().map(in -> replacedBy.getOrDefault(in, in)).toList());
            }
        });
        conf.getVertexInputs().clear();
        conf.getVertexInputs().putAll(inputs);
        replacedBy.keySet().forEach(conf.getVertices()::remove);
        return conf;
    }

    /**
     * W' = W * s and b' = (b - mean) * s + beta per output channel, with s = gamma / sqrt(var + eps) from the
     * batch norm's running statistics: what the batch norm computes at inference, applied to the weights once.
     */
    private static void foldWeights(ComputationGraph trained, Chain chain, Layer target) {
        Layer conv = trained.getLayer(chain.conv());
        Layer bn = trained.getLayer(chain.batchNorm());
        BatchNormalization bnConf = (BatchNormalization) bn.conf().getLayer();
        long channels = bnConf.getNOut();
        INDArray mean = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).castTo(DataType.DOUBLE).reshape(channels);
        INDArray var;
        if (bnConf.isUseLogStd()) {
            INDArray log10Std = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).castTo(DataType.DOUBLE);
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, DataType.DOUBLE), log10Std, false);
            var = std.mul(std).reshape(channels);
        } else {
            var = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).castTo(DataType.DOUBLE).reshape(channels);
        }
        INDArray gamma;
        INDArray beta;
        if (bnConf.isLockGammaBeta()) {
            gamma = Nd4j.valueArrayOf(new long[]{channels}, bnConf.getGamma(), DataType.DOUBLE);
            beta = Nd4j.valueArrayOf(new long[]{channels}, bnConf.getBeta(), DataType.DOUBLE);
        } else {
            gamma = bn.getParam(BatchNormalizationParamInitializer.GAMMA).castTo(DataType.DOUBLE).reshape(channels);
            beta = bn.getParam(BatchNormalizationParamInitializer.BETA).castTo(DataType.DOUBLE).reshape(channels);
        }
        INDArray scale = gamma.div(Transforms.sqrt(var.add(bnConf.getEps()), false));
        INDArray w = conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE);
        INDArray folded = w.reshape(channels, w.length() / channels).mulColumnVector(scale.reshape(channels, 1));
        INDArray bias = conv.paramTable().containsKey(ConvolutionParamInitializer.BIAS_KEY)
                ? conv.getParam(ConvolutionParamInitializer.BIAS_KEY).castTo(DataType.DOUBLE).reshape(channels)
                : Nd4j.zeros(DataType.DOUBLE, channels);
        INDArray foldedBias = bias.sub(mean).muli(scale).addi(beta);
        DataType type = target.getParam(ConvolutionParamInitializer.WEIGHT_KEY).dataType();
        target.getParam(ConvolutionParamInitializer.WEIGHT_KEY).assign(folded.reshape(w.shape()).castTo(type));
        target.getParam(ConvolutionParamInitializer.BIAS_KEY).assign(foldedBias.reshape(
                target.getParam(ConvolutionParamInitializer.BIAS_KEY).shape()).castTo(type));
    }
}
