package org.redtest.engine.plan;

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
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.engine.cpu.FastCpuPath;
import org.redtest.testing.ReluKinks;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every step the plan lowers to, one at a time, against DL4J's own layer code: a one-op network (the op, a
 * global average pool where the op's output is an image, a softmax classifier) trained two steps on the plain
 * Java kernels and on DL4J, output, loss, gradients, parameters and velocity compared.
 */
class PlanOpsTest {
    static {
        CpuAcceleration.configure();
    }

    private static final int SIZE = 8;

    @ParameterizedTest
    @ValueSource(strings = {"conv 3x3 with bias", "conv 3x3 stride 2", "conv 1x1", "batch norm", "relu", "add",
            "max pool 2x2", "max pool 1x1 stride 2", "avg pool 3x3 padding not counted", "avg pool 2x2",
            "zeros and concatenation", "channel subset", "dense with relu", "identity"})
    void stepMatchesDl4j(String op) {
        ComputationGraph reference = graph(op);
        ComputationGraph planned = graph(op);
        Nd4j.getRandom().setSeed(17);
        INDArray features = Nd4j.rand(DataType.FLOAT, 6, 3, SIZE, SIZE).muli(2).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 6, 4);
        for (int i = 0; i < 6; i++) {
            labels.putScalar(i, i % 4, 1.0);
        }
        DataSet batch = new DataSet(features, labels);
        List<StepCheck.Difference> differences = new ArrayList<>();
        for (int step = 0; step < 2; step++) {
            ReluKinks.assertNoReluInputNearZero(reference, features, 2e-6, op + ", step " + step);
            differences.addAll(StepCheck.run(reference, planned, batch, 1, JavaKernels::new));
        }
        for (StepCheck.Difference d : differences) {
            assertTrue(d.within(), op + ": " + d.what() + ": largest difference " + d.largest() + " (scale " + d.scale() + ")");
        }
    }

    @Test
    void dropoutKeepsAboutTheRetainedShareScaledAndItsGradientFollowsTheMask() {
        JavaKernels k = new JavaKernels(3);
        int count = 20_000;
        Buffer x = k.allocate(count);
        Buffer y = k.allocate(count);
        Buffer mask = k.allocate(count);
        k.fill(x, 2f);
        k.dropout(0.8, x, y, mask);
        float[] out = k.download(y);
        long kept = 0;
        for (float v : out) {
            assertTrue(v == 0f || Math.abs(v - 2.5f) < 1e-6, "a kept value is scaled by 1 / retain: " + v);
            kept += v == 0f ? 0 : 1;
        }
        assertEquals(0.8, kept / (double) count, 0.01);
        Buffer dx = k.allocate(count);
        k.fill(dx, 1f);
        k.dropoutBackward(x, mask, dx, true);
        float[] grad = k.download(dx);
        for (int i = 0; i < count; i++) {
            assertEquals(out[i] == 0 ? 1f : 1f + 2f * 1.25f, grad[i], 1e-6);
        }
    }

    @Test
    void anUnsupportedLayerIsRefusedByName() {
        ComputationGraphConfiguration conf = base().addLayer("odd", new ConvolutionLayer.Builder(3, 3).nOut(4)
                        .activation(Activation.TANH).build(), "input")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "odd")
                .addLayer("output", output(), "pool").setOutputs("output").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        UnsupportedGraphException e = assertThrows(UnsupportedGraphException.class,
                () -> GraphLowering.lower(g, new SampleShape(3, SIZE, SIZE)));
        assertTrue(e.getMessage().contains("'odd'") && e.getMessage().contains("tanh"), e.getMessage());
    }

    private static ComputationGraph graph(String op) {
        // DL4J infers no size for a channel subset of an image: that network is given its sizes
        ComputationGraphConfiguration.GraphBuilder g = op.equals("channel subset") ? untyped() : base();
        String last = switch (op) {
            case "conv 3x3 with bias" -> conv(g, "c", "input", 3, 1, 1, true, 4);
            case "conv 3x3 stride 2" -> conv(g, "c", "input", 3, 2, 1, false, 4);
            case "conv 1x1" -> conv(g, "c", "input", 1, 1, 0, false, 5);
            case "batch norm" -> {
                g.addLayer("bn", new BatchNormalization.Builder().eps(1e-5).decay(0.9).activation(Activation.IDENTITY)
                        .build(), "input");
                yield "bn";
            }
            case "relu" -> {
                conv(g, "c", "input", 3, 1, 1, true, 4);
                g.addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "c");
                yield "relu";
            }
            case "add" -> {
                conv(g, "a", "input", 3, 1, 1, false, 4);
                conv(g, "b", "input", 1, 1, 0, true, 4);
                g.addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b");
                yield "sum";
            }
            case "max pool 2x2" -> pool(g, PoolingType.MAX, 2, 2, 0, true);
            case "max pool 1x1 stride 2" -> pool(g, PoolingType.MAX, 1, 2, 0, true);
            case "avg pool 3x3 padding not counted" -> pool(g, PoolingType.AVG, 3, 1, 1, false);
            case "avg pool 2x2" -> pool(g, PoolingType.AVG, 2, 2, 0, true);
            case "zeros and concatenation" -> {
                conv(g, "c", "input", 3, 1, 1, true, 4);
                g.addVertex("zeros", new ScaleVertex(0.0), "c");
                g.addVertex("wide", new MergeVertex(), "c", "zeros");
                yield "wide";
            }
            case "channel subset" -> {
                g.addLayer("c", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nIn(3).nOut(4).biasInit(0.1)
                        .activation(Activation.IDENTITY).build(), "input");
                g.addVertex("part", new SubsetVertex(1, 2), "c");
                yield "part";
            }
            case "dense with relu" -> {
                conv(g, "c", "input", 3, 1, 1, true, 4);
                g.addLayer("flat", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c");
                g.addLayer("fc", new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build(), "flat");
                yield "fc";
            }
            case "identity" -> {
                conv(g, "c", "input", 3, 1, 1, true, 4);
                g.addVertex("same", new ScaleVertex(1.0), "c");
                yield "same";
            }
            default -> throw new IllegalArgumentException(op);
        };
        if (!op.startsWith("dense")) {
            g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last);
            last = "pool";
        }
        OutputLayer output = output();
        if (op.equals("channel subset")) {
            output.setNIn(2);
        }
        g.addLayer("output", output, last).setOutputs("output");
        ComputationGraph graph = FastCpuPath.buildOn(FastCpuPath.LayerPath.STOCK, () -> {
            ComputationGraph built = new ComputationGraph(g.build());
            built.init();
            return built;
        });
        return graph;
    }

    private static ComputationGraphConfiguration.GraphBuilder base() {
        return new NeuralNetConfiguration.Builder().seed(9).updater(new Nesterovs(0.05, 0.9)).l2(5e-4)
                .convolutionMode(ConvolutionMode.Truncate).graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(SIZE, SIZE, 3));
    }

    private static ComputationGraphConfiguration.GraphBuilder untyped() {
        return new NeuralNetConfiguration.Builder().seed(9).updater(new Nesterovs(0.05, 0.9)).l2(5e-4)
                .convolutionMode(ConvolutionMode.Truncate).graphBuilder().addInputs("input");
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build();
    }

    private static String conv(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int k, int stride,
                               int padding, boolean bias, int channels) {
        g.addLayer(name, new ConvolutionLayer.Builder(k, k).stride(stride, stride).padding(padding, padding)
                .nOut(channels).hasBias(bias).biasInit(0.1).activation(Activation.IDENTITY).build(), in);
        return name;
    }

    private static String pool(ComputationGraphConfiguration.GraphBuilder g, PoolingType type, int k, int stride, int padding,
                               boolean countPadding) {
        conv(g, "c", "input", 3, 1, 1, true, 4);
        g.addLayer("p", new SubsamplingLayer.Builder(type).kernelSize(k, k).stride(stride, stride).padding(padding, padding)
                .avgPoolIncludePadInDivisor(countPadding).build(), "c");
        return "p";
    }
}
