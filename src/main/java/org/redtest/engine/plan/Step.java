package org.redtest.engine.plan;

import java.util.List;

/**
 * One operation of an {@link ExecutionPlan}: a vertex of the DL4J graph, named as there, reading the outputs
 * of earlier steps (or the network input) and writing one activation of shape {@link #out()} per sample.
 * The steps know nothing of the device that runs them; {@link PlanExecutor} does, through {@link Kernels}.
 */
public sealed interface Step {
    String name();

    List<String> inputs();

    SampleShape out();

    /** Convolution, optionally with bias; parameters {@code W} (out x in x k x k) and {@code b}. */
    record Conv(String name, List<String> inputs, ConvShape shape) implements Step {
        @Override
        public SampleShape out() {
            return shape.out();
        }
    }

    /** Batch norm over N, H, W per channel; parameters gamma and beta, running mean and variance as state. */
    record BatchNorm(String name, List<String> inputs, SampleShape out, double eps, double decay) implements Step {
    }

    record Relu(String name, List<String> inputs, SampleShape out) implements Step {
    }

    /** Element-wise sum of all inputs. */
    record Add(String name, List<String> inputs, SampleShape out) implements Step {
    }

    /** Max or average pooling, global average pooling included. */
    record Pool(String name, List<String> inputs, PoolShape shape) implements Step {
        @Override
        public SampleShape out() {
            return shape.out();
        }
    }

    /** {@code factor} times the input: zeros for 0, a copy for 1. */
    record Scale(String name, List<String> inputs, SampleShape out, double factor) implements Step {
    }

    /** Channels {@code from..to} (inclusive) of the input. */
    record ChannelSubset(String name, List<String> inputs, SampleShape out, int from, int to) implements Step {
    }

    /** The inputs stacked along the channel axis, in order. */
    record ChannelConcat(String name, List<String> inputs, SampleShape out) implements Step {
    }

    /** Inverted dropout while training (kept values scaled by 1 / retain); the identity at inference. */
    record Dropout(String name, List<String> inputs, SampleShape out, double retain) implements Step {
    }

    /** Fully connected layer on the flattened input, optionally followed by ReLU; parameters W (in x out), b. */
    record Dense(String name, List<String> inputs, int in, int outFeatures, boolean relu) implements Step {
        @Override
        public SampleShape out() {
            return SampleShape.flat(outFeatures);
        }
    }

    /** The classifier: a dense layer, softmax, and the mean cross-entropy loss while training. */
    record SoftmaxOutput(String name, List<String> inputs, int in, int classes) implements Step {
        @Override
        public SampleShape out() {
            return SampleShape.flat(classes);
        }
    }
}
