package org.redtest.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Turns a {@link NetworkBlueprint} into a DL4J {@link ComputationGraph} with the same node names,
 * initialised as the blueprint's {@link Family} says: weights through each layer's DL4J weight
 * initialisation (drawn from the graph seed), random biases (which DL4J's layer settings cannot
 * express) drawn right after {@code init()} from a generator seeded by the graph seed and the layer's
 * name. Every graph built here (training, pruning's rebuilt networks, search candidates) starts the
 * same way for the same seed.
 */
public final class Dl4jGraphFactory {
    /** PyTorch's BatchNorm2d defaults: eps 1e-5, momentum 0.1 (DL4J's decay = 1 - momentum). */
    private static final double BN_EPS = 1e-5;
    private static final double BN_DECAY = 0.9;

    private Dl4jGraphFactory() {
    }

    /**
     * The number of parameters DL4J stores for a blueprint: the live nodes' trainable parameters
     * plus every BN layer's running mean and variance.
     */
    public static long expectedParameterCount(NetworkBlueprint blueprint) {
        return blueprint.liveNodes().stream()
                .mapToLong(n -> n.params() + (n.op() instanceof Op.BatchNorm ? 2L * n.output().channels() : 0))
                .sum();
    }

    public static ComputationGraph create(NetworkBlueprint blueprint, GraphSettings settings) {
        ComputationGraph graph = new ComputationGraph(configuration(blueprint, settings));
        graph.init();
        drawRandomBiases(graph, blueprint, settings.seed());
        return graph;
    }

    /**
     * How the family initialises each live layer with weights, by node name. Conv and linear layers
     * only; batch norm always starts at scale 1, shift 0.
     */
    public static Map<String, LayerInit> layerInits(NetworkBlueprint blueprint) {
        Map<String, Node> byName = blueprint.nodesByName();
        Map<String, LayerInit> inits = new LinkedHashMap<>();
        for (Node node : blueprint.liveNodes()) {
            WeightLayer.of(node, inputShape(node, byName, blueprint.input()))
                    .ifPresent(layer -> inits.put(node.name(), blueprint.family().init(layer)));
        }
        return inits;
    }

    /** Fills the biases whose initialisation is random; the configuration left them at zero. */
    private static void drawRandomBiases(ComputationGraph graph, NetworkBlueprint blueprint, long seed) {
        layerInits(blueprint).forEach((name, init) -> {
            if (init.bias() instanceof ParamInit.Zero) {
                return;
            }
            INDArray bias = graph.getLayer(name).paramTable().get(DefaultParamInitializer.BIAS_KEY);
            if (bias == null) {
                return; // a conv without bias
            }
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
            double[] values = new double[(int) bias.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = init.bias().draw(random);
            }
            bias.assign(Nd4j.createFromArray(values).castTo(bias.dataType()).reshape(bias.shape()));
        });
    }

    /** DL4J's weight initialisation for a weight {@link ParamInit}. */
    private static IWeightInit weightInit(ParamInit init) {
        if (init instanceof ParamInit.Normal n) {
            return new WeightInitDistribution(new NormalDistribution(0.0, n.std()));
        }
        if (init instanceof ParamInit.Uniform u) {
            return new WeightInitDistribution(new UniformDistribution(-u.bound(), u.bound()));
        }
        return WeightInit.ZERO.getWeightInitFunction();
    }

    /** Prefix of the pooled measurement taps added by {@link #measurementConfiguration}. */
    public static final String TAP_PREFIX = "tap.";
    /** The single output of the measurement graph: all taps concatenated along the channel axis. */
    public static final String TAPS_OUTPUT = "taps";

    /**
     * The inference graph for redundancy measurement: the same layers, plus a global average pool
     * on every measured unit, all concatenated into the graph's only output (n x sum of widths).
     * DL4J then releases each full activation as soon as its consumers ran, so memory does not grow
     * with depth. (Hundreds of separate outputs trip DL4J's workspace bookkeeping; one merged output does not.)
     */
    public static ComputationGraphConfiguration measurementConfiguration(NetworkBlueprint blueprint) {
        ComputationGraphConfiguration.GraphBuilder g = builder(blueprint, GraphSettings.inference(0));
        g.allowDisconnected(true); // the classifier is not an output here; this graph only runs forward
        String[] taps = new String[blueprint.units().size()];
        Map<String, Node> byName = blueprint.nodesByName();
        for (int i = 0; i < taps.length; i++) {
            Unit unit = blueprint.units().get(i);
            taps[i] = TAP_PREFIX + unit.name();
            Shape s = byName.get(unit.vertex()).output();
            if (s.height() == 1 && s.width() == 1) {
                g.addVertex(taps[i], new ScaleVertex(1.0), unit.vertex());
            } else {
                g.addLayer(taps[i], new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), unit.vertex());
            }
        }
        if (taps.length == 1) {
            g.addVertex(TAPS_OUTPUT, new ScaleVertex(1.0), taps);
        } else {
            g.addVertex(TAPS_OUTPUT, new MergeVertex(), taps);
        }
        g.setOutputs(TAPS_OUTPUT);
        return g.build();
    }

    public static ComputationGraphConfiguration configuration(NetworkBlueprint blueprint, GraphSettings settings) {
        ComputationGraphConfiguration.GraphBuilder g = builder(blueprint, settings);
        g.setOutputs(blueprint.outputName());
        return g.build();
    }

    private static ComputationGraphConfiguration.GraphBuilder builder(NetworkBlueprint blueprint, GraphSettings settings) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(settings.seed())
                .updater(settings.updater())
                .l2(settings.weightDecay())
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(NetworkBlueprint.INPUT);
        Shape in = blueprint.input();
        g.setInputTypes(InputType.convolutional(in.height(), in.width(), in.channels()));
        Map<String, Node> byName = blueprint.nodesByName();
        Set<String> shared = sharedOutputs(blueprint);
        Map<String, LayerInit> inits = layerInits(blueprint);
        for (Node node : blueprint.liveNodes()) {
            if (node.op() instanceof Op.Relu && shared.contains(node.inputs().get(0))) {
                // DL4J's ActivationLayer applies ReLU in place at inference; give it a copy so the
                // other readers of a shared input (skip edges, measurement taps) see the original.
                String copy = node.name() + ".copy";
                g.addVertex(copy, new ScaleVertex(1.0), node.inputs().get(0));
                g.addLayer(node.name(), new ActivationLayer.Builder().activation(Activation.RELU).build(), copy);
                continue;
            }
            add(g, node, inputShape(node, byName, in), inits.get(node.name()));
        }
        return g;
    }

    /** Outputs read by more than one node, or by a measurement tap. */
    private static Set<String> sharedOutputs(NetworkBlueprint blueprint) {
        Map<String, Integer> readers = new HashMap<>();
        for (Node node : blueprint.liveNodes()) {
            node.inputs().forEach(i -> readers.merge(i, 1, Integer::sum));
        }
        blueprint.units().forEach(u -> readers.merge(u.vertex(), 1, Integer::sum));
        Set<String> shared = new HashSet<>();
        readers.forEach((name, count) -> {
            if (count > 1) {
                shared.add(name);
            }
        });
        shared.add(NetworkBlueprint.INPUT);
        return shared;
    }

    private static Shape inputShape(Node node, Map<String, Node> byName, Shape networkInput) {
        String first = node.inputs().get(0);
        return first.equals(NetworkBlueprint.INPUT) ? networkInput : byName.get(first).output();
    }

    /** Adds {@code node}; {@code init} is its family's initialisation when it has weights (else null). */
    private static void add(ComputationGraphConfiguration.GraphBuilder g, Node node, Shape in, LayerInit init) {
        String name = node.name();
        String[] inputs = node.inputs().toArray(String[]::new);
        Op op = node.op();
        if (op instanceof Op.Conv c) {
            g.addLayer(name, new ConvolutionLayer.Builder(c.kernel(), c.kernel())
                    .stride(c.stride(), c.stride()).padding(c.padding(), c.padding())
                    .nIn(in.channels()).nOut(c.outChannels()).hasBias(c.bias())
                    .weightInit(weightInit(init.weights())).biasInit(0.0)
                    .activation(Activation.IDENTITY).build(), inputs);
        } else if (op instanceof Op.BatchNorm) {
            g.addLayer(name, new BatchNormalization.Builder().nIn(in.channels()).nOut(in.channels())
                    .eps(BN_EPS).decay(BN_DECAY).activation(Activation.IDENTITY).build(), inputs);
        } else if (op instanceof Op.Relu) {
            g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), inputs);
        } else if (op instanceof Op.Add) {
            g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), inputs);
        } else if (op instanceof Op.MaxPool p) {
            g.addLayer(name, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(p.kernel(), p.kernel())
                    .stride(p.stride(), p.stride()).build(), inputs);
        } else if (op instanceof Op.AvgPool p) {
            g.addLayer(name, new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(p.kernel(), p.kernel())
                    .stride(p.stride(), p.stride()).padding(p.padding(), p.padding())
                    .avgPoolIncludePadInDivisor(p.countPadding()).build(), inputs);
        } else if (op instanceof Op.ShortcutA s) {
            addShortcutA(g, name, inputs[0], in.channels(), s);
        } else if (op instanceof Op.Zeros) {
            g.addVertex(name, new ScaleVertex(0.0), inputs);
        } else if (op instanceof Op.Identity) {
            g.addVertex(name, new ScaleVertex(1.0), inputs);
        } else if (op instanceof Op.GlobalAvgPool) {
            g.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), inputs);
        } else if (op instanceof Op.Dropout d) {
            g.addLayer(name, new DropoutLayer(1.0 - d.dropProbability()), inputs); // DL4J takes the retain probability
        } else if (op instanceof Op.Dense d) {
            g.addLayer(name, new DenseLayer.Builder().nIn(in.size()).nOut(d.outFeatures())
                    .weightInit(weightInit(init.weights())).biasInit(0.0)
                    .activation(d.relu() ? Activation.RELU : Activation.IDENTITY).build(), inputs);
        } else if (op instanceof Op.Classifier c) {
            g.addLayer(name, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in.size())
                    .nOut(c.classes()).weightInit(weightInit(init.weights())).biasInit(0.0)
                    .activation(Activation.SOFTMAX).build(), inputs);
        } else {
            throw new IllegalStateException("no DL4J mapping for " + op);
        }
    }

    /**
     * Option A without parameters: a 1x1 max pool with the stride takes x[:, :, ::s, ::s]; the
     * extra channels are zeros (0 * x, cut to size) appended after the identity channels.
     * Appending rather than centring the zeros only permutes the residual branch's channels.
     */
    private static void addShortcutA(ComputationGraphConfiguration.GraphBuilder g, String name, String input,
                                     int inChannels, Op.ShortcutA s) {
        String subsampled = input;
        if (s.stride() != 1) {
            subsampled = name + ".subsample";
            g.addLayer(subsampled, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(1, 1)
                    .stride(s.stride(), s.stride()).build(), input);
        }
        int pad = s.outChannels() - inChannels;
        if (pad == 0) {
            g.addVertex(name, new ScaleVertex(1.0), subsampled);
            return;
        }
        if (pad < 0 || pad > inChannels) {
            throw new IllegalArgumentException("option-A shortcut can grow channels by at most 2x: " + name);
        }
        String zeros = name + ".zeros";
        g.addVertex(zeros, new ScaleVertex(0.0), subsampled);
        String padding = zeros;
        if (pad < inChannels) {
            padding = name + ".padding";
            g.addVertex(padding, new SubsetVertex(0, pad - 1), zeros);
        }
        g.addVertex(name, new MergeVertex(), subsampled, padding);
    }
}
