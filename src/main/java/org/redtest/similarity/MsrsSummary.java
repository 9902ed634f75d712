package org.redtest.similarity;

import java.util.List;

/**
 * MSRS of a model over several measurement batches (docs/method.md, "Over many batches").
 *
 * @param units             the measured units, in order
 * @param beta              score sharpness used
 * @param gamma             score threshold used
 * @param mean              mean MSRS over the batches that were not dropped (NaN if all were)
 * @param std               sample standard deviation (n - 1 denominator) over those batches; 0 for
 *                          one batch, NaN for none
 * @param perBatch          MSRS of every batch in the order added, NaN for a dropped batch
 * @param batches           number of batches added, dropped ones included
 * @param nanBatchesDropped number of batches whose MSRS was NaN and which were left out
 * @param nanSources        the constant layers (or NaN pairs) that caused the drops, distinct
 * @param meanCka           elementwise mean CKA matrix over the kept batches; if every batch was
 *                          dropped, the mean over all batches (NaN wherever any batch was NaN)
 * @param adjacent          meanCka[k][k+1], the input of layer pruning
 */
public record MsrsSummary(List<String> units, double beta, double gamma, double mean, double std,
                          double[] perBatch, int batches, int nanBatchesDropped, List<String> nanSources,
                          double[][] meanCka, double[] adjacent) {

    public MsrsSummary {
        units = List.copyOf(units);
        nanSources = List.copyOf(nanSources);
    }

    /** Batches that contributed to mean, std and meanCka. */
    public int keptBatches() {
        return batches - nanBatchesDropped;
    }
}
