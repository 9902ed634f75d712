package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.pooling.GlobalPoolingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * DL4J's global pooling layer, reading a channel-blocked input where {@link BlockedLayouts} says so
 * (its output is n x c, plain). Average pooling, the one the model zoo uses (at a network's end and
 * on every measurement tap), runs on the blocked array itself: oneDNN's pooling over the whole plane
 * gives the n x c result in channel order, and the gradient is its broadcast back over
 * [n, c/block, h*w, block], already blocked. Other pooling types rewrite the input as NCHW around
 * DL4J's code.
 */
final class LayoutAdaptingGlobalPooling extends GlobalPoolingLayer {
    final LayerLayouts layouts = new LayerLayouts();
    /** Forward passes that averaged a blocked input directly (for tests). */
    private long blockedAverages;

    LayoutAdaptingGlobalPooling(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** True when this pass can average the blocked input directly. */
    private boolean averagesBlocked() {
        var conf = (org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer) layerConf();
        // DL4J fills in the dimensions {2, 3} for convolutional input when it builds the configuration
        boolean wholePlane = conf.getPoolingDimensions() == null || Arrays.equals(conf.getPoolingDimensions(), new int[]{2, 3});
        return layouts.keepsBlocked() && conf.getPoolingType() == PoolingType.AVG && wholePlane
                && maskArray == null && input.rank() == 4 && input.dataType() == DataType.FLOAT
                && OneDnnConvHelper.isDense(input);
    }

    private final Map<String, Average> averages = new HashMap<>();

    /**
     * oneDNN's average pooling over the whole plane of a blocked input, built once per shape: its
     * n x c x 1 x 1 result in the blocked layout is plain n x c order (one pixel per channel block).
     */
    private static final class Average {
        private final dnnl_primitive primitive;
        private final dnnl_memory src;
        private final dnnl_memory dst;

        Average(long[] shape, int tag) {
            var srcMd = OneDnn.desc(shape, tag);
            var dstMd = OneDnn.desc(new long[]{shape[0], shape[1], 1, 1}, tag);
            var pd = new dnnl_pooling_desc_t();
            OneDnn.check(dnnl_pooling_forward_desc_init(pd,
                    dnnl_forward_inference,
                    dnnl_pooling_avg_exclude_padding, srcMd, dstMd,
                    new long[]{shape[2], shape[3]}, new long[]{shape[2], shape[3]}, new long[]{0, 0}, new long[]{0, 0}),
                    "pooling_forward_desc_init");
            primitive = OneDnn.primitive(OneDnn.primitiveDesc(pd, null));
            src = OneDnn.memory(srcMd, null);
            dst = OneDnn.memory(dstMd, null);
        }

        void run(INDArray x, INDArray out) {
            OneDnn.bind(src, x);
            OneDnn.bind(dst, out);
            OneDnn.execute(primitive, DNNL_ARG_SRC, src,
                    DNNL_ARG_DST, dst);
        }
    }

    long blockedAverages() {
        return blockedAverages;
    }

    /** The input seen as [n, c/block, h*w, block] (a view: the blocked layout's own order). */
    private INDArray blockedView(INDArray x) {
        int block = layouts.block();
        return x.reshape('c', x.size(0), x.size(1) / block, x.size(2) * x.size(3), block);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!layouts.keepsBlocked()) {
            return super.activate(training, workspaceMgr);
        }
        if (averagesBlocked()) {
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                    ((org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer) layerConf()).isCollapseDimensions()
                            ? new long[]{input.size(0), input.size(1)} : new long[]{input.size(0), input.size(1), 1, 1});
            averages.computeIfAbsent(Arrays.toString(input.shape()), k -> new Average(input.shape(),
                    OneDnn.blockedTag(layouts.block()))).run(input, out);
            blockedAverages++;
            return out;
        }
        INDArray original = input;
        try {
            input = layouts.plain(original, false);
            return super.activate(training, workspaceMgr);
        } finally {
            input = original;
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!layouts.keepsBlocked()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        if (averagesBlocked()) {
            int block = layouts.block();
            long n = input.size(0);
            long blocks = input.size(1) / block;
            long plane = input.size(2) * input.size(3);
            INDArray perChannel = epsilon.reshape('c', n, blocks, 1, block).div(plane);
            INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape());
            blockedView(dx).assign(perChannel.broadcast(n, blocks, plane, block));
            return new Pair<>(new DefaultGradient(), dx);
        }
        INDArray original = input;
        try {
            input = layouts.plain(original, false);
            Pair<Gradient, INDArray> result = super.backpropGradient(epsilon, workspaceMgr);
            result.setSecond(layouts.fromPlain(result.getSecond(), true, ArrayType.ACTIVATION_GRAD, workspaceMgr));
            return result;
        } finally {
            input = original;
        }
    }
}
