package org.redtest.engine.cpu;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * DL4J's oneDNN batch-norm helper with a faster training pass. The stock helper computes the batch
 * mean and variance with strided ND4J reductions over (N, H, W) and runs the backward pass through
 * libnd4j's {@code batchnorm_bp}; on 2 cores those took about 15% and 30% of a ResNet training step.
 * Here both are contiguous loops per channel over the NCHW buffer (channels in parallel, sums in
 * double across images); the normalisation itself stays oneDNN's.
 *
 * <p>Anything other than a training pass over a dense float NCHW batch goes to the stock code.
 */
class FastBatchNormHelper extends MKLDNNBatchNormHelper {
    static final VarHandle MEAN_CACHE;
    static final VarHandle VAR_CACHE;

    static {
        try {
            var lookup = MethodHandles.privateLookupIn(MKLDNNBatchNormHelper.class, MethodHandles.lookup());
            MEAN_CACHE = lookup.findVarHandle(MKLDNNBatchNormHelper.class, "meanCache", INDArray.class);
            VAR_CACHE = lookup.findVarHandle(MKLDNNBatchNormHelper.class, "varCache", INDArray.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** True after a training forward pass of ours, whose statistics the backward pass then reads. */
    private boolean statisticsFromForward;

    FastBatchNormHelper(DataType dataType) {
        super(dataType);
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!training || !isDenseFloatNchw(x, format)) {
            statisticsFromForward = false;
            return super.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
        }
        int channels = (int) x.size(1);
        INDArray batchMean = cache(MEAN_CACHE, channels);
        INDArray batchVar = cache(VAR_CACHE, channels);
        computeStatistics(x, batchMean, batchVar);
        statisticsFromForward = true;
        // with training = false the stock helper normalises with the statistics it is given
        return super.preOutput(x, false, shape, gamma, beta, batchMean, batchVar, decay, eps, format, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!statisticsFromForward || gamma == null || dGammaView == null || !isDenseFloatNchw(input, format)
                || !isContiguousVector(gamma) || !isContiguousVector(dGammaView) || !isContiguousVector(dBetaView)) {
            return super.backpropGradient(input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format,
                    workspaceMgr);
        }
        INDArray dy = isDenseFloatNchw(epsilon, format) ? epsilon : epsilon.dup('c');
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape());
        backward(input, dy, (INDArray) MEAN_CACHE.get(this), (INDArray) VAR_CACHE.get(this), gamma, eps, dx,
                dGammaView, dBetaView);
        return result(dGammaView, dBetaView, dx);
    }

    /** What DL4J's BN layer expects back from a helper's backward pass. */
    static Pair<Gradient, INDArray> result(INDArray dGamma, INDArray dBeta, INDArray dx) {
        Gradient g = new DefaultGradient();
        g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
        g.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
        return new Pair<>(g, dx);
    }

    static boolean isDenseFloatNchw(INDArray x, CNN2DFormat format) {
        return x.rank() == 4 && format == CNN2DFormat.NCHW && x.dataType() == DataType.FLOAT && x.ordering() == 'c'
                && Shape.hasDefaultStridesForShape(x) && x.offset() + x.length() <= Integer.MAX_VALUE;
    }

    static boolean isContiguousVector(INDArray v) {
        return v.dataType() == DataType.FLOAT && v.length() == Math.max(v.size(0), v.size(v.rank() - 1))
                && v.elementWiseStride() == 1;
    }

    /** The stock helper's cache array, allocated outside any workspace as the stock helper does. */
    INDArray cache(VarHandle field, int channels) {
        INDArray a = (INDArray) field.get(this);
        if (a == null || a.length() != channels) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                a = Nd4j.createUninitialized(DataType.FLOAT, channels);
            }
            field.set(this, a);
        }
        return a;
    }

    /** Population mean and variance per channel of a dense NCHW float batch, as BN's training pass uses them. */
    static void computeStatistics(INDArray x, INDArray meanOut, INDArray varOut) {
        int n = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        int offset = (int) x.offset();
        FloatBuffer in = x.data().asNioFloat();
        FloatBuffer means = meanOut.data().asNioFloat();
        FloatBuffer vars = varOut.data().asNioFloat();
        double count = (double) n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += PlaneSums.sum(in, offset + (i * channels + c) * plane, plane);
            }
            float mu = (float) (sum / count);
            // second pass over the deviations: no cancellation when |mean| >> std
            double squares = 0;
            for (int i = 0; i < n; i++) {
                squares += PlaneSums.squaredDeviations(in, offset + (i * channels + c) * plane, plane, mu);
            }
            means.put((int) meanOut.offset() + c, mu);
            vars.put((int) varOut.offset() + c, (float) (squares / count));
        });
    }

    /**
     * Training-mode BN backward with the batch statistics of the forward pass, per channel over
     * M = N*H*W values: dBeta = sum(dy), dGamma = sum(dy * xhat) and
     * dx = gamma / std * (dy - dBeta / M - xhat * dGamma / M), where xhat = (x - mean) / std.
     * dx is an affine function of dy and x per channel, so its pass is one multiply-add per array.
     */
    static void backward(INDArray x, INDArray dy, INDArray mean, INDArray var, INDArray gamma, double eps,
                         INDArray dx, INDArray dGamma, INDArray dBeta) {
        int n = (int) x.size(0);
        int channels = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        int xOffset = (int) x.offset();
        int dyOffset = (int) dy.offset();
        int dxOffset = (int) dx.offset();
        FloatBuffer xs = x.data().asNioFloat();
        FloatBuffer dys = dy.data().asNioFloat();
        FloatBuffer dxs = dx.data().asNioFloat();
        FloatBuffer means = mean.data().asNioFloat();
        FloatBuffer vars = var.data().asNioFloat();
        FloatBuffer gammas = gamma.data().asNioFloat();
        FloatBuffer dGammas = dGamma.data().asNioFloat();
        FloatBuffer dBetas = dBeta.data().asNioFloat();
        double count = (double) n * plane;
        IntStream.range(0, channels).parallel().forEach(c -> {
            float mu = means.get((int) mean.offset() + c);
            double invStd = 1.0 / Math.sqrt(vars.get((int) var.offset() + c) + eps);
            double sumDy = 0;
            double sumDyCentred = 0;
            for (int i = 0; i < n; i++) {
                int image = (i * channels + c) * plane;
                sumDy += PlaneSums.sum(dys, dyOffset + image, plane);
                sumDyCentred += PlaneSums.dot(dys, dyOffset + image, xs, xOffset + image, plane, mu);
            }
            double sumDyXhat = sumDyCentred * invStd;
            dBetas.put((int) dBeta.offset() + c, (float) sumDy);
            dGammas.put((int) dGamma.offset() + c, (float) sumDyXhat);
            double k = gammas.get((int) gamma.offset() + c) * invStd;
            // dx = a * dy + b * x + shift
            float a = (float) k;
            double bd = -k * invStd * sumDyXhat / count;
            float b = (float) bd;
            float shift = (float) (-k * sumDy / count - bd * mu);
            for (int i = 0; i < n; i++) {
                int image = (i * channels + c) * plane;
                PlaneSums.affine(dys, dyOffset + image, xs, xOffset + image, dxs, dxOffset + image, plane, a, b, shift);
            }
        });
    }
}
