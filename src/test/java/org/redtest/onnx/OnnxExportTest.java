package org.redtest.onnx;

import onnx.Onnx.ModelProto;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.similarity.MsrsSummary;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Op;
import org.redtest.zoo.Shape;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27: every zoo family (and a pruned quickstart ResNet) exported to ONNX runs in ONNX Runtime with logits
 * and probabilities within 1e-4 of DL4J's, and measured back through the ONNX path gives our own MSRS within 1e-4.
 */
class OnnxExportTest {
    private static final Shape INPUT = new Shape(3, 16, 16);
    private static final int CLASSES = 10;

    @ParameterizedTest
    @ValueSource(strings = {"resnet8", "pruned resnet20", "vgg:8,M,16,M,16", "nats[C=4,N=1]:|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|"})
    void exportRunsInOnnxRuntimeAsInDl4jAndMeasuresTheSame(String spec) {
        Architecture arch = spec.startsWith("pruned ")
                ? ModelSpec.parse(spec.substring(7)).without(Set.of("s1.b2", "s2.b3", "s3.b1")).architecture()
                : ModelSpec.parse(spec);
        NetworkBlueprint blueprint = arch.blueprint(INPUT, CLASSES);
        ComputationGraph graph = Dl4jGraphFactory.create(blueprint, GraphSettings.inference(7));
        randomiseBatchNorms(graph, blueprint, new Random(11));
        INDArray x = Nd4j.randn(5L, new long[] {16, INPUT.channels(), INPUT.height(), INPUT.width()})
                .castTo(DataType.FLOAT);

        ModelProto proto = OnnxExport.of(blueprint, graph, null);
        OnnxModel model = OnnxModel.of(Path.of(arch.spec() + ".onnx"), proto.toByteArray());
        Map<String, OnnxSession.Output> out;
        try (OnnxSession session = new OnnxSession(model.proto(), model.input().name(), "export")) {
            out = session.run(x.dup('c').data().asFloat(), x.shape());
        }
        assertClose(dl4jLogits(graph, blueprint, x), out.get(OnnxExport.LOGITS).values(), "logits of " + spec);
        assertClose(graph.outputSingle(false, x).dup('c').data().asFloat(), out.get(blueprint.outputName()).values(),
                "probabilities of " + spec);

        UnitChoice units = OnnxUnits.auto(model, Map.of());
        assertEquals(blueprint.unitNames(), units.tensors(), "auto takes the units our export recorded");
        List<INDArray> batches = List.of(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8)),
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(8, 16)));
        ImportedMeasurement back = ImportedMeasurement.run(model, units,
                OnnxCapture.shapes(model, units.tensors()), batches, "random", 100, units.gamma());
        MsrsSummary ours = RedundancyMeasurement.measureFeatures(graph, blueprint, batches, 100, units.gamma());
        assertEquals(ours.mean(), back.summary().mean(), 1e-4, "MSRS of " + spec);
        for (int i = 0; i < ours.units().size(); i++) {
            for (int j = 0; j < ours.units().size(); j++) {
                assertEquals(ours.meanCka()[i][j], back.summary().meanCka()[i][j], 1e-4);
            }
        }
    }

    /** The classifier's input times its weights plus bias, in DL4J. */
    private static float[] dl4jLogits(ComputationGraph graph, NetworkBlueprint blueprint, INDArray x) {
        String classifier = blueprint.outputName();
        String before = blueprint.nodesByName().get(classifier).inputs().get(0);
        INDArray features = graph.feedForward(x, false).get(before);
        features = features.reshape(features.size(0), features.length() / features.size(0));
        Map<String, INDArray> p = graph.getLayer(classifier).paramTable();
        return features.mmul(p.get(DefaultParamInitializer.WEIGHT_KEY)).addRowVector(p.get(DefaultParamInitializer.BIAS_KEY))
                .dup('c').data().asFloat();
    }

    /**
     * Within 1e-4 relative to the outputs' scale (the largest magnitude, at least 1): float32 rounding in two
     * runtimes that order their sums differently grows with the logits (ResNets with random statistics give logits
     * near 10 and gaps near 4e-4; probabilities and logits of O(1) stay within 1e-4 absolutely).
     */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 1e-3, what + " are not all near zero (the check would be empty)");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= 1e-4 * Math.max(1, scale), what + ": largest gap " + worst + " at scale " + scale);
    }

    /** Fresh batch norms are identities; random statistics make a batch norm exported wrongly show. */
    private static void randomiseBatchNorms(ComputationGraph graph, NetworkBlueprint blueprint, Random r) {
        blueprint.liveNodes().stream().filter(n -> n.op() instanceof Op.BatchNorm).forEach(n -> {
            Layer layer = graph.getLayer(n.name());
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                INDArray p = e.getValue();
                double[] v = new double[(int) p.length()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = switch (e.getKey()) {
                        case BatchNormalizationParamInitializer.GAMMA, BatchNormalizationParamInitializer.GLOBAL_VAR ->
                                0.5 + r.nextDouble();
                        case BatchNormalizationParamInitializer.GLOBAL_LOG_STD -> Math.log10(Math.sqrt(0.5 + r.nextDouble()));
                        default -> 0.2 * r.nextGaussian();
                    };
                }
                p.assign(Nd4j.createFromArray(v).castTo(p.dataType()).reshape(p.shape()));
            }
        });
    }
}
