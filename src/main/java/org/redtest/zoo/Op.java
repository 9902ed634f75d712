package org.redtest.zoo;

/**
 * The operations a blueprint is made of. Each knows nothing about DL4J; {@link Dl4jGraphFactory}
 * turns them into layers and vertices, {@link BlueprintBuilder} derives shapes, Params and FLOPs.
 */
public sealed interface Op {
    /** 2-D convolution, square kernel, "same"-style explicit padding. */
    record Conv(int outChannels, int kernel, int stride, int padding, boolean bias) implements Op {
    }

    record BatchNorm() implements Op {
    }

    record Relu() implements Op {
    }

    /** Elementwise sum of all inputs. */
    record Add() implements Op {
    }

    record MaxPool(int kernel, int stride) implements Op {
    }

    /** Average pooling; {@code countPadding=false} divides by the number of real (unpadded) pixels. */
    record AvgPool(int kernel, int stride, int padding, boolean countPadding) implements Op {
    }

    /** ResNet "option A" shortcut: subsample by {@code stride}, then zero-pad the channels. No parameters. */
    record ShortcutA(int stride, int outChannels) implements Op {
    }

    /** Outputs zeros of the input's shape (the NATS {@code none} op feeding a node with no other input). */
    record Zeros() implements Op {
    }

    /** Passes its input through; gives a unit a vertex of its own name. */
    record Identity() implements Op {
    }

    record GlobalAvgPool() implements Op {
    }

    /** Dropout with the given probability of dropping (PyTorch convention). */
    record Dropout(double dropProbability) implements Op {
    }

    /** Fully connected layer on the flattened input. */
    record Dense(int outFeatures, boolean relu) implements Op {
    }

    /** The final linear classifier with softmax cross-entropy loss. */
    record Classifier(int classes) implements Op {
    }
}
