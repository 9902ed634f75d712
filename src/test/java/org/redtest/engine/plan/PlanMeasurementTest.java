package org.redtest.engine.plan;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.similarity.CkaMatrix;
import org.redtest.similarity.UnbiasedCka;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measurement as the GPU engine does it: the measurement graph's pooled unit outputs as Gram matrices formed by
 * the kernels (here the Java ones), turned into the CKA matrix; against DL4J's pooled outputs given to the CKA
 * engine as activations.
 */
class PlanMeasurementTest {
    static {
        CpuAcceleration.configure();
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet:2-1-1", "vgg:8,M,16,M,16,M"})
    void ckaFromKernelGramsEqualsCkaFromActivations(String spec) {
        NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(new Shape(3, 16, 16), 10);
        ComputationGraph trained = PlanEquivalenceTest.graph(bp, 3);
        ComputationGraph tapped = new ComputationGraph(Dl4jGraphFactory.measurementConfiguration(bp));
        tapped.init();
        for (Layer layer : trained.getLayers()) {
            if (layer.numParams() > 0) {
                tapped.getLayer(layer.conf().getLayer().getLayerName()).setParams(layer.params());
            }
        }
        var nodes = bp.nodesByName();
        int[] widths = bp.units().stream().mapToInt(u -> nodes.get(u.vertex()).output().channels()).toArray();
        Nd4j.getRandom().setSeed(4);
        INDArray features = Nd4j.rand(DataType.FLOAT, 32, 3, 16, 16);

        INDArray merged = tapped.outputSingle(false, features);
        List<INDArray> irs = new ArrayList<>();
        long offset = 0;
        for (int w : widths) {
            irs.add(merged.get(NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + w)));
            offset += w;
        }
        CkaMatrix expected = UnbiasedCka.matrix(bp.unitNames(), irs);
        CkaMatrix actual;
        try (PlanInferenceSession session = new PlanInferenceSession(tapped, JavaKernels::new)) {
            assertTrue(session.blockGrams(features, widths).isPresent());
            actual = UnbiasedCka.fromGrams(bp.unitNames(), session.blockGrams(features, widths).orElseThrow(), 32);
        }
        for (int i = 0; i < widths.length; i++) {
            for (int j = 0; j < widths.length; j++) {
                assertEquals(expected.get(i, j), actual.get(i, j), 1e-4, spec + ": CKA of units " + i + ", " + j);
            }
        }
    }
}
