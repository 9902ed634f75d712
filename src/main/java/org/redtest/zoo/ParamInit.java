package org.redtest.zoo;

import java.util.random.RandomGenerator;

/**
 * How one parameter tensor (a layer's weights or its bias) starts, as plain numbers: no DL4J here.
 * {@link Dl4jGraphFactory} turns it into the layer's DL4J settings.
 */
public sealed interface ParamInit {
    /** The standard deviation of a value drawn this way (what the initialisation tests compare against). */
    double std();

    /** One value drawn this way. */
    double draw(RandomGenerator random);

    /** Zero mean normal with the given standard deviation. */
    record Normal(double std) implements ParamInit {
        public Normal {
            if (!(std > 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("std must be positive and finite: " + std);
            }
        }

        @Override
        public double draw(RandomGenerator random) {
            return std * random.nextGaussian();
        }
    }

    /** Uniform in [-bound, bound]. */
    record Uniform(double bound) implements ParamInit {
        public Uniform {
            if (!(bound > 0) || Double.isInfinite(bound)) {
                throw new IllegalArgumentException("bound must be positive and finite: " + bound);
            }
        }

        @Override
        public double std() {
            return bound / Math.sqrt(3.0);
        }

        @Override
        public double draw(RandomGenerator random) {
            return bound * (2.0 * random.nextDouble() - 1.0);
        }
    }

    /** All zeros. */
    record Zero() implements ParamInit {
        @Override
        public double std() {
            return 0.0;
        }

        @Override
        public double draw(RandomGenerator random) {
            return 0.0;
        }
    }

    ParamInit ZERO = new Zero();

    /** He (Kaiming) normal for ReLU networks: N(0, 2 / fan) with fan = fan_in or fan_out as the family chooses. */
    static ParamInit kaimingNormal(long fan) {
        return new Normal(Math.sqrt(2.0 / fan));
    }

    /**
     * PyTorch's default for {@code nn.Conv2d} and {@code nn.Linear}, weights and biases alike: uniform in
     * +-1/sqrt(fan_in) (for weights this is Kaiming-uniform with a = sqrt(5)).
     */
    static ParamInit torchDefault(long fanIn) {
        return new Uniform(1.0 / Math.sqrt(fanIn));
    }
}
