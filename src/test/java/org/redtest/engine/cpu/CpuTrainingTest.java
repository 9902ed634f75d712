package org.redtest.engine.cpu;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.bench.ThroughputMeter;
import org.redtest.engine.TrainingSession;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which way CPU training goes: the plan where it applies, DL4J's layers otherwise, the graph updated either way. */
class CpuTrainingTest {
    static {
        CpuAcceleration.configure();
    }

    private static ComputationGraph graph(IUpdater updater) {
        return Dl4jGraphFactory.create(ModelSpec.parse("resnet8").blueprint(new Shape(3, 16, 16), 10),
                new GraphSettings(3, updater, 5e-4));
    }

    private static DataSet batch() {
        DataSet b = ThroughputMeter.randomBatch(8, 3);
        return new DataSet(b.getFeatures().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 16),
                NDArrayIndex.interval(0, 16)).dup(), b.getLabels());
    }

    /** Trains two steps; returns whether they ran on the plan, after checking the graph holds their result. */
    private static boolean trainsOnPlan(ComputationGraph g) {
        return trainsOnPlan(g, false);
    }

    /** {@code prepared}: the session is prepared for the batches' shape first, as the trainer does. */
    private static boolean trainsOnPlan(ComputationGraph g, boolean prepared) {
        INDArray before = g.params().dup();
        int iterations = g.getConfiguration().getIterationCount();
        try (TrainingSession session = new CpuEngine().training(g)) {
            if (prepared) {
                session.prepare(8, 3, 16, 16);
                assertEquals(iterations, g.getConfiguration().getIterationCount(), "preparing trains nothing");
            }
            DataSet batch = batch();
            double loss = session.fit(batch);
            session.fit(batch);
            assertTrue(Double.isFinite(loss) && session.parametersFinite());
            session.synchronize();
            assertNotEquals(before, g.params(), "the graph holds the trained parameters");
            assertEquals(iterations + 2, g.getConfiguration().getIterationCount());
            return ((CpuTraining) session).onPlan();
        }
    }

    @Test
    void networksOfTheZooTrainOnThePlan() {
        assertTrue(trainsOnPlan(graph(new Nesterovs(0.05, 0.9))));
    }

    @Test
    void aPreparedSessionTrainsOnThePlan() {
        assertTrue(trainsOnPlan(graph(new Nesterovs(0.05, 0.9)), true));
    }

    /** The trainer prepares the full batch size and the last partial one: neither first step makes a primitive. */
    @Test
    void aPreparedSessionMakesItsPrimitivesBeforeTheFirstStep() {
        ComputationGraph g = graph(new Nesterovs(0.05, 0.9));
        try (CpuTraining session = (CpuTraining) new CpuEngine().training(g)) {
            session.prepare(8, 3, 16, 16);
            session.prepare(5, 3, 16, 16);
            int made = session.kernels().primitiveSets();
            assertTrue(made > 10, "convolutions, batch norms and pooling for both sizes: " + made);
            DataSet full = batch();
            DataSet partial = new DataSet(full.getFeatures().get(NDArrayIndex.interval(0, 5)).dup(),
                    full.getLabels().get(NDArrayIndex.interval(0, 5)).dup());
            session.fit(full);
            session.fit(partial);
            assertEquals(made, session.kernels().primitiveSets());
        }
    }

    /** Preparing runs a pass that must leave everything as it was: prepared or not, the same steps train alike. */
    @Test
    void preparingChangesNoTrainingResult() {
        ComputationGraph prepared = graph(new Nesterovs(0.05, 0.9));
        ComputationGraph unprepared = graph(new Nesterovs(0.05, 0.9));
        DataSet batch = batch();
        try (TrainingSession a = new CpuEngine().training(prepared); TrainingSession b = new CpuEngine().training(unprepared)) {
            a.prepare(8, 3, 16, 16);
            a.prepare(5, 3, 16, 16);
            for (int i = 0; i < 2; i++) {
                assertEquals(a.fit(batch), b.fit(batch), 0.0, "loss of step " + i);
            }
            a.synchronize();
            b.synchronize();
        }
        assertEquals(unprepared.params(), prepared.params());
        assertEquals(unprepared.getUpdater().getStateViewArray(), prepared.getUpdater().getStateViewArray());
    }

    @Test
    void whatThePlanCannotExpressTrainsOnDl4jLayers() {
        assertFalse(trainsOnPlan(graph(new Adam(1e-3))), "the plan has Nesterov momentum only");
        assertFalse(trainsOnPlan(graph(new Adam(1e-3)), true), "prepared too");
    }

    @Test
    void aPlanLargerThanItsMemoryTrainsOnDl4jLayers() {
        assertFalse(SystemProperties.with(CpuPlans.MEMORY_PROPERTY, "1000",
                () -> trainsOnPlan(graph(new Nesterovs(0.05, 0.9)))), "the plan needs more than 1,000 bytes");
    }

    @Test
    void theSwitchKeepsDl4jLayers() {
        assertFalse(SystemProperties.with(CpuPlans.PROPERTY, "false", () -> trainsOnPlan(graph(new Nesterovs(0.05, 0.9)))));
    }
}
