package org.redtest.engine.plan;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lowers a DL4J {@link ComputationGraph} to an {@link ExecutionPlan}: the vertices the output depends on, in
 * DL4J's topological order, each mapped to one {@link Step} with the shapes DL4J itself infers for the given
 * input. Anything the steps cannot express exactly (another activation, loss, convolution mode, updater or
 * regularisation) is refused with {@link UnsupportedGraphException} rather than run differently.
 */
public final class GraphLowering {
    private GraphLowering() {
    }

    public static ExecutionPlan lower(ComputationGraph graph, SampleShape input) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedGraphException(String.join(",", conf.getNetworkOutputs()),
                    "only graphs with one input and one output are supported");
        }
        String inputName = conf.getNetworkInputs().get(0);
        Map<String, InputType> types = new java.util.HashMap<>(Map.of(inputName,
                InputType.convolutional(input.height(), input.width(), input.channels())));
        Set<String> live = live(conf);
        List<Step> steps = new ArrayList<>();
        List<String> regularized = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        List<BatchNormState> norms = new ArrayList<>();
        double[] l2 = {Double.NaN};
        Nesterovs[] optimizer = {null};
        long stateOffset = 0;
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            if (name.equals(inputName) || !live.contains(name)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> ins = conf.getVertexInputs().get(name);
            SampleShape in = shape(types.get(ins.get(0)), ins.get(0));
            types.put(name, outputType(vertex, ins, types, name));
            SampleShape out = shape(types.get(name), name);
            Step step = step(name, vertex, ins, in, out, conf);
            steps.add(step);
            if (vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
                collectParams(graph.getLayer(name), layer, regularized, plain, l2, optimizer);
            }
            if (step instanceof Step.BatchNorm bn) {
                BatchNormalization c = (BatchNormalization) ((LayerVertex) vertex).getLayerConf().getLayer();
                norms.add(new BatchNormState(name, bn.out().channels(), stateOffset, stateOffset + bn.out().channels(),
                        c.isUseLogStd()));
                stateOffset += 2L * bn.out().channels();
            }
        }
        if (!(steps.get(steps.size() - 1) instanceof Step.SoftmaxOutput) && steps.stream().anyMatch(s -> s instanceof Step.SoftmaxOutput)) {
            throw new UnsupportedGraphException(steps.get(steps.size() - 1).name(), "the softmax classifier must be the output");
        }
        List<ParamSlot> slots = new ArrayList<>();
        long offset = 0;
        for (List<String> group : List.of(regularized, plain)) {
            for (String variable : group) {
                int cut = variable.lastIndexOf('_');
                String layer = variable.substring(0, cut);
                String key = variable.substring(cut + 1);
                long[] shape = graph.getLayer(layer).paramTable().get(key).shape();
                int length = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                slots.add(new ParamSlot(layer, key, shape, offset, length, group == regularized));
                offset += length;
            }
        }
        return new ExecutionPlan(inputName, input, steps, slots, optimizer[0], Double.isNaN(l2[0]) ? 0 : l2[0], norms);
    }

    /** The vertices the network output depends on. */
    private static Set<String> live(ComputationGraphConfiguration conf) {
        Set<String> live = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(conf.getNetworkOutputs());
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (live.add(name) && conf.getVertexInputs().containsKey(name)) {
                todo.addAll(conf.getVertexInputs().get(name));
            }
        }
        return live;
    }

    /**
     * The vertex's output type from its inputs' types, as DL4J infers it, except for a channel subset of an
     * image, which DL4J 1.0.0-M2.1 infers with no channels (from - to + 1).
     */
    private static InputType outputType(GraphVertex vertex, List<String> ins, Map<String, InputType> types, String name) {
        InputType[] in = ins.stream().map(types::get).toArray(InputType[]::new);
        if (vertex instanceof SubsetVertex s && in[0] instanceof InputType.InputTypeConvolutional c) {
            return InputType.convolutional(c.getHeight(), c.getWidth(), s.getTo() - s.getFrom() + 1);
        }
        try {
            return vertex.getOutputType(-1, in);
        } catch (RuntimeException e) {
            throw new UnsupportedGraphException(name, "its output shape cannot be inferred (" + e.getMessage() + ")");
        }
    }

    private static SampleShape shape(InputType type, String vertex) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            if (c.getFormat() != CNN2DFormat.NCHW) {
                throw new UnsupportedGraphException(vertex, "only NCHW activations are supported");
            }
            return new SampleShape((int) c.getChannels(), (int) c.getHeight(), (int) c.getWidth());
        }
        if (type instanceof InputType.InputTypeFeedForward f) {
            return SampleShape.flat((int) f.getSize());
        }
        throw new UnsupportedGraphException(vertex, "activation type " + type);
    }

    private static Step step(String name, GraphVertex vertex, List<String> ins, SampleShape in, SampleShape out,
                             ComputationGraphConfiguration conf) {
        if (vertex instanceof ElementWiseVertex e) {
            if (e.getOp() != ElementWiseVertex.Op.Add) {
                throw new UnsupportedGraphException(name, "element-wise " + e.getOp());
            }
            return new Step.Add(name, ins, out);
        }
        if (vertex instanceof ScaleVertex s) {
            return new Step.Scale(name, ins, out, s.getScaleFactor());
        }
        if (vertex instanceof SubsetVertex s) {
            if (s.getFrom() < 0 || s.getTo() >= in.channels()) {
                throw new UnsupportedGraphException(name, "channels " + s.getFrom() + ".." + s.getTo() + " of " + in.channels());
            }
            return new Step.ChannelSubset(name, ins, out, s.getFrom(), s.getTo());
        }
        if (vertex instanceof MergeVertex m) {
            if (m.getMergeAxis() != 1) {
                throw new UnsupportedGraphException(name, "merge along axis " + m.getMergeAxis());
            }
            return new Step.ChannelConcat(name, ins, out);
        }
        if (!(vertex instanceof LayerVertex lv)) {
            throw new UnsupportedGraphException(name, vertex.getClass().getSimpleName());
        }
        if (lv.getPreProcessor() != null && !(lv.getPreProcessor() instanceof org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor)) {
            throw new UnsupportedGraphException(name, "input preprocessor " + lv.getPreProcessor().getClass().getSimpleName());
        }
        org.deeplearning4j.nn.conf.layers.Layer layer = lv.getLayerConf().getLayer();
        if (layer.getIDropout() != null && !(layer instanceof DropoutLayer)) {
            throw new UnsupportedGraphException(name, "dropout on a " + layer.getClass().getSimpleName());
        }
        if (layer.getClass() == ConvolutionLayer.class) {
            ConvolutionLayer c = (ConvolutionLayer) layer;
            int k = square(name, c.getKernelSize(), "kernel");
            int s = square(name, c.getStride(), "stride");
            int p = square(name, c.getPadding(), "padding");
            if (c.getConvolutionMode() == ConvolutionMode.Same || square(name, c.getDilation(), "dilation") != 1) {
                throw new UnsupportedGraphException(name, "convolution mode " + c.getConvolutionMode() + " / dilation");
            }
            identity(name, c.getActivationFn());
            return new Step.Conv(name, ins, new ConvShape(in, out, k, s, p, c.hasBias()));
        }
        if (layer instanceof BatchNormalization b) {
            identity(name, b.getActivationFn());
            if (b.isLockGammaBeta() || in.plane() == 0) {
                throw new UnsupportedGraphException(name, "batch norm with fixed gamma and beta");
            }
            return new Step.BatchNorm(name, ins, out, b.getEps(), b.getDecay());
        }
        if (layer instanceof ActivationLayer a) {
            if (isRelu(a.getActivationFn())) {
                return new Step.Relu(name, ins, out);
            }
            identity(name, a.getActivationFn());
            return new Step.Scale(name, ins, out, 1.0);
        }
        if (layer.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer s = (SubsamplingLayer) layer;
            boolean max = s.getPoolingType() == PoolingType.MAX;
            if (!max && s.getPoolingType() != PoolingType.AVG || s.getConvolutionMode() == ConvolutionMode.Same) {
                throw new UnsupportedGraphException(name, s.getPoolingType() + " pooling in mode " + s.getConvolutionMode());
            }
            int k = square(name, s.getKernelSize(), "kernel");
            return new Step.Pool(name, ins, new PoolShape(in, out, max, k, k, square(name, s.getStride(), "stride"),
                    square(name, s.getPadding(), "padding"), s.isAvgPoolIncludePadInDivisor()));
        }
        if (layer instanceof GlobalPoolingLayer g) {
            if (g.getPoolingType() != PoolingType.AVG || !g.isCollapseDimensions()
                    || g.getPoolingDimensions() != null && !Arrays.equals(g.getPoolingDimensions(), new int[]{2, 3})) {
                throw new UnsupportedGraphException(name, "global " + g.getPoolingType() + " pooling");
            }
            return new Step.Pool(name, ins, PoolShape.global(in));
        }
        if (layer instanceof DropoutLayer d) {
            IDropout dropout = d.getIDropout();
            if (dropout == null) {
                return new Step.Scale(name, ins, out, 1.0);
            }
            if (!(dropout instanceof Dropout plainDropout) || plainDropout.getPSchedule() != null) {
                throw new UnsupportedGraphException(name, "dropout " + dropout);
            }
            return new Step.Dropout(name, ins, out, plainDropout.getP());
        }
        if (layer.getClass() == DenseLayer.class) {
            DenseLayer d = (DenseLayer) layer;
            boolean relu = isRelu(d.getActivationFn());
            if (!relu) {
                identity(name, d.getActivationFn());
            }
            requireBias(name, d.hasBias());
            return new Step.Dense(name, ins, in.size(), (int) d.getNOut(), relu);
        }
        if (layer.getClass() == OutputLayer.class) {
            OutputLayer o = (OutputLayer) layer;
            if (!(o.getActivationFn() instanceof ActivationSoftmax) || !(o.getLossFn() instanceof LossMCXENT loss)
                    || loss.getWeights() != null) {
                throw new UnsupportedGraphException(name, "an output layer other than softmax with cross-entropy");
            }
            requireBias(name, o.hasBias());
            if (!conf.getNetworkOutputs().contains(name)) {
                throw new UnsupportedGraphException(name, "a classifier that is not the network output");
            }
            return new Step.SoftmaxOutput(name, ins, in.size(), (int) o.getNOut());
        }
        throw new UnsupportedGraphException(name, layer.getClass().getSimpleName());
    }

    /** Adds the layer's trainable parameters to the regularised or the plain group and checks the optimiser. */
    private static void collectParams(Layer runtime, BaseLayer layer, List<String> regularized, List<String> plain,
                                      double[] l2, Nesterovs[] optimizer) {
        String name = layer.getLayerName();
        for (String key : runtime.paramTable().keySet()) {
            if (layer instanceof BatchNormalization && (key.equals(BatchNormalizationParamInitializer.GLOBAL_MEAN)
                    || key.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                    || key.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD))) {
                continue; // running statistics: the plan's state, not parameters
            }
            IUpdater updater = layer.getUpdaterByParam(key);
            if (!(updater instanceof Nesterovs nesterovs) || optimizer[0] != null && !optimizer[0].equals(nesterovs)) {
                throw new UnsupportedGraphException(name, "updater " + updater + " for parameter " + key
                        + " (SGD with Nesterov momentum, the same for every parameter, is supported)");
            }
            optimizer[0] = nesterovs;
            double coefficient = 0;
            List<Regularization> regs = layer.getRegularizationByParam(key);
            for (Regularization r : regs == null ? List.<Regularization>of() : regs) {
                if (!(r instanceof L2Regularization l) || !(l.getL2() instanceof org.nd4j.linalg.schedule.FixedSchedule)) {
                    throw new UnsupportedGraphException(name, "regularisation " + r + " of " + key + " (constant L2 is supported)");
                }
                coefficient += l.getL2().valueAt(0, 0);
            }
            if (coefficient == 0) {
                plain.add(name + "_" + key);
                continue;
            }
            if (!Double.isNaN(l2[0]) && l2[0] != coefficient) {
                throw new UnsupportedGraphException(name, "L2 coefficient " + coefficient + " besides " + l2[0]
                        + " elsewhere (one coefficient for the whole network is supported)");
            }
            l2[0] = coefficient;
            regularized.add(name + "_" + key);
        }
    }

    private static boolean isRelu(IActivation a) {
        return a instanceof ActivationReLU r && r.toString().equals(new ActivationReLU().toString());
    }

    private static void identity(String name, IActivation a) {
        if (!(a instanceof ActivationIdentity)) {
            throw new UnsupportedGraphException(name, "activation " + a + " inside the layer");
        }
    }

    private static void requireBias(String name, boolean bias) {
        if (!bias) {
            throw new UnsupportedGraphException(name, "a dense layer without bias");
        }
    }


    private static int square(String name, int[] values, String what) {
        if (values == null || values.length != 2 || values[0] != values[1]) {
            throw new UnsupportedGraphException(name, "a non-square " + what + " " + Arrays.toString(values));
        }
        return values[0];
    }
}
