package org.redtest.runtime;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
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
 * DL4J's oneDNN batch-norm helper with a faster training forward pass. The stock helper computes the
 * batch mean and variance with ND4J reductions over (N, H, W), strided TAD reductions that cost about
 * 15% of a ResNet training step on 2 cores, more than oneDNN's whole BN forward. Here they are two
 * contiguous passes per channel over the NCHW buffer (channels in parallel, sums in double), after
 * which the stock helper runs oneDNN's BN with those statistics. Backprop is the stock helper's: it
 * reads the statistics from the helper's own caches, which this class fills.
 *
 * <p>Anything other than a training pass over a dense float NCHW batch goes to the stock code.
 */
final class BatchStatisticsHelper extends MKLDNNBatchNormHelper {
    private static final VarHandle MEAN_CACHE;
    private static final VarHandle VAR_CACHE;

    static {
        try {
            var lookup = MethodHandles.privateLookupIn(MKLDNNBatchNormHelper.class, MethodHandles.lookup());
            MEAN_CACHE = lookup.findVarHandle(MKLDNNBatchNormHelper.class, "meanCache", INDArray.class);
            VAR_CACHE = lookup.findVarHandle(MKLDNNBatchNormHelper.class, "varCache", INDArray.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    BatchStatisticsHelper(DataType dataType) {
        super(dataType);
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!training || !isDenseFloatNchw(x, format)) {
            return super.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
        }
        int channels = (int) x.size(1);
        INDArray batchMean = cache(MEAN_CACHE, channels);
        INDArray batchVar = cache(VAR_CACHE, channels);
        computeStatistics(x, batchMean, batchVar);
        // with training = false the stock helper normalises with the statistics it is given
        return super.preOutput(x, false, shape, gamma, beta, batchMean, batchVar, decay, eps, format, workspaceMgr);
    }

    static boolean isDenseFloatNchw(INDArray x, CNN2DFormat format) {
        return x.rank() == 4 && format == CNN2DFormat.NCHW && x.dataType() == DataType.FLOAT && x.ordering() == 'c'
                && Shape.hasDefaultStridesForShape(x) && x.offset() + x.length() <= Integer.MAX_VALUE;
    }

    /** The stock helper's cache array, allocated outside any workspace as the stock helper does. */
    private INDArray cache(VarHandle field, int channels) {
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
                int base = offset + (i * channels + c) * plane;
                float part = 0;
                for (int j = 0; j < plane; j++) {
                    part += in.get(base + j);
                }
                sum += part;
            }
            float mu = (float) (sum / count);
            // second pass over the deviations: no cancellation when |mean| >> std
            double squares = 0;
            for (int i = 0; i < n; i++) {
                int base = offset + (i * channels + c) * plane;
                float part = 0;
                for (int j = 0; j < plane; j++) {
                    float d = in.get(base + j) - mu;
                    part += d * d;
                }
                squares += part;
            }
            means.put((int) meanOut.offset() + c, mu);
            vars.put((int) varOut.offset() + c, (float) (squares / count));
        });
    }
}
