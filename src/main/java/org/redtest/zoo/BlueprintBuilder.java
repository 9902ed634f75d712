package org.redtest.zoo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends nodes to a blueprint while tracking shapes and costing each node:
 * Params count trainable parameters (BN scale and shift, not running statistics); FLOPs count conv
 * and linear multiply-accumulates once, plus 2 per BN output element and 1 per ReLU output element.
 * Every method returns the new node's name, so architectures read as data flow.
 */
public final class BlueprintBuilder {
    private final String spec;
    private final Family family;
    private final Shape input;
    private final int classes;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Unit> units = new ArrayList<>();
    private final Map<String, Shape> shapes = new HashMap<>();

    public BlueprintBuilder(String spec, Family family, Shape input, int classes) {
        this.spec = spec;
        this.family = family;
        this.input = input;
        this.classes = classes;
        shapes.put(NetworkBlueprint.INPUT, input);
    }

    public Shape shape(String name) {
        Shape s = shapes.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no node named " + name);
        }
        return s;
    }

    public String conv(String name, String in, int outChannels, int kernel, int stride, boolean bias) {
        Shape s = shape(in);
        int pad = kernel / 2;
        Shape out = new Shape(outChannels, outSize(s.height(), kernel, stride, pad), outSize(s.width(), kernel, stride, pad));
        long weights = (long) outChannels * s.channels() * kernel * kernel;
        long params = weights + (bias ? outChannels : 0);
        long flops = weights * out.height() * out.width();
        return add(name, new Op.Conv(outChannels, kernel, stride, pad, bias), List.of(in), out, params, flops);
    }

    public String batchNorm(String name, String in) {
        Shape s = shape(in);
        return add(name, new Op.BatchNorm(), List.of(in), s, 2L * s.channels(), 2 * s.size());
    }

    public String relu(String name, String in) {
        Shape s = shape(in);
        return add(name, new Op.Relu(), List.of(in), s, 0, s.size());
    }

    public String sum(String name, List<String> ins) {
        Shape s = shape(ins.get(0));
        for (String other : ins) {
            if (!shape(other).equals(s)) {
                throw new IllegalArgumentException("cannot add " + s + " and " + shape(other) + " at " + name);
            }
        }
        return add(name, new Op.Add(), ins, s, 0, 0);
    }

    public String maxPool(String name, String in, int kernel, int stride) {
        Shape s = shape(in);
        Shape out = new Shape(s.channels(), outSize(s.height(), kernel, stride, 0), outSize(s.width(), kernel, stride, 0));
        return add(name, new Op.MaxPool(kernel, stride), List.of(in), out, 0, 0);
    }

    public String avgPool(String name, String in, int kernel, int stride, int padding, boolean countPadding) {
        Shape s = shape(in);
        Shape out = new Shape(s.channels(), outSize(s.height(), kernel, stride, padding),
                outSize(s.width(), kernel, stride, padding));
        return add(name, new Op.AvgPool(kernel, stride, padding, countPadding), List.of(in), out, 0, 0);
    }

    public String shortcutA(String name, String in, int stride, int outChannels) {
        Shape s = shape(in);
        Shape out = new Shape(outChannels, outSize(s.height(), 1, stride, 0), outSize(s.width(), 1, stride, 0));
        return add(name, new Op.ShortcutA(stride, outChannels), List.of(in), out, 0, 0);
    }

    public String zeros(String name, String like) {
        return add(name, new Op.Zeros(), List.of(like), shape(like), 0, 0);
    }

    public String identity(String name, String in) {
        return add(name, new Op.Identity(), List.of(in), shape(in), 0, 0);
    }

    public String globalAvgPool(String name, String in) {
        return add(name, new Op.GlobalAvgPool(), List.of(in), new Shape(shape(in).channels(), 1, 1), 0, 0);
    }

    public String dropout(String name, String in, double dropProbability) {
        return add(name, new Op.Dropout(dropProbability), List.of(in), shape(in), 0, 0);
    }

    public String dense(String name, String in, int outFeatures, boolean relu) {
        long inFeatures = shape(in).size();
        long macs = inFeatures * outFeatures;
        return add(name, new Op.Dense(outFeatures, relu), List.of(in), new Shape(outFeatures, 1, 1),
                macs + outFeatures, macs + (relu ? outFeatures : 0));
    }

    public String classifier(String name, String in) {
        long macs = shape(in).size() * classes;
        return add(name, new Op.Classifier(classes), List.of(in), new Shape(classes, 1, 1), macs + classes, macs);
    }

    /** Declares that {@code vertex}'s output is the IR of the measured unit {@code unitName}. */
    public void unit(String unitName, String vertex) {
        shape(vertex);
        units.add(new Unit(unitName, vertex));
    }

    public NetworkBlueprint build() {
        return new NetworkBlueprint(spec, family, input, classes, nodes, units);
    }

    private String add(String name, Op op, List<String> inputs, Shape out, long params, long flops) {
        if (shapes.containsKey(name)) {
            throw new IllegalArgumentException("duplicate node name " + name);
        }
        nodes.add(new Node(name, op, inputs, out, params, flops));
        shapes.put(name, out);
        return name;
    }

    private static int outSize(int in, int kernel, int stride, int pad) {
        int out = (in + 2 * pad - kernel) / stride + 1;
        if (out < 1) {
            throw new org.redtest.RedTestException("input too small: a " + kernel + "x" + kernel
                    + " stride-" + stride + " operation leaves no pixels of a " + in + "-pixel side");
        }
        return out;
    }
}
