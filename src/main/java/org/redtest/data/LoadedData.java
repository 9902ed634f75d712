package org.redtest.data;

/**
 * What {@link DataLoader#load(DataSpec)} returns: the (possibly subset) splits and the normalisation
 * to use for both, which is always derived from the full training split.
 */
public record LoadedData(ImageDataset train, ImageDataset test, ChannelNormalization normalization) {
}
