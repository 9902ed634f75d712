package org.redtest.zoo;

import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * What DL4J needs besides the structure: the seed for weight initialisation, the updater (with its
 * learning-rate schedule) and the L2 weight decay (DL4J's l2 equals PyTorch's SGD weight_decay).
 */
public record GraphSettings(long seed, IUpdater updater, double weightDecay) {
    /** For inference-only uses (info, latency): any updater will do. */
    public static GraphSettings inference(long seed) {
        return new GraphSettings(seed, new Nesterovs(0.01, 0.9), 0.0);
    }
}
