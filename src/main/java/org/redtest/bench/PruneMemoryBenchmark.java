package org.redtest.bench;

import org.redtest.engine.Engines;
import org.redtest.engine.InferenceSession;
import org.redtest.engine.TrainingSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.pruning.PrunableUnit;
import org.redtest.pruning.PrunableUnits;
import org.redtest.pruning.PrunedStructure;
import org.redtest.pruning.UnitSelection;
import org.redtest.pruning.WeightTransfer;
import org.redtest.zoo.Architecture;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Repeated prune-and-rebuild rounds in one process (rebuilding DL4J graphs is known to leak when
 * old graphs and workspaces are not released): each round drops a random third of the units,
 * rebuilds with weight transfer, runs a forward and backward pass, and releases the graph; the
 * process memory is printed after every round.
 */
public final class PruneMemoryBenchmark {
    private PruneMemoryBenchmark() {
    }

    public static void run(String model, int rounds, PrintWriter out) {
        Shape input = new Shape(3, 32, 32);
        Architecture arch = ModelSpec.parse(model);
        NetworkBlueprint bp = arch.blueprint(input, 10);
        ComputationGraph trained = Dl4jGraphFactory.create(bp, GraphSettings.inference(1));
        List<PrunableUnit> units = PrunableUnits.of(arch, bp.unitNames(), new double[bp.units().size() - 1]);
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 64, 10);
        for (int i = 0; i < 64; i++) {
            y.putScalar(i, i % 10, 1.0);
        }
        out.printf("%s: %d prune-and-rebuild rounds; before: %s%n", arch.spec(), rounds, MsrsMemoryBenchmark.memory());
        Random r = new Random(3);
        for (int round = 1; round <= rounds; round++) {
            long seed = r.nextLong();
            Random order = new Random(seed);
            List<String> dropped = UnitSelection.drop(units, Comparator.comparingInt(u -> order.nextInt()), units.size() / 3);
            PrunedStructure s = PrunedStructure.of(arch, dropped);
            ComputationGraph pruned = Dl4jGraphFactory.create(s.pruned().blueprint(input, 10), GraphSettings.inference(seed));
            WeightTransfer.copy(trained, pruned, s);
            try (TrainingSession training = Engines.current().training(pruned)) {
                training.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
            }
            try (InferenceSession inference = Engines.current().inference(pruned)) {
                inference.output(x);
            }
            pruned.close();
            System.gc();
            out.printf("round %2d  %-16s  %s%n", round, s.pruned().spec(), MsrsMemoryBenchmark.memory());
            out.flush();
        }
    }
}
