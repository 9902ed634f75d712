package org.redtest.data;

import org.redtest.RedTestException;

import java.nio.file.Files;
import java.nio.file.Path;

/** Turns a {@link DataSpec} into datasets and normalisation. Reads local files only, never downloads. */
public final class DataLoader {

    private DataLoader() {
    }

    public static LoadedData load(DataSpec spec) {
        spec.validate();
        String name = spec.datasetName();
        Path dir = spec.resolvedDir();
        if (!Files.isDirectory(dir)) {
            String hint = spec.dir() == null
                    ? " (install Debian package dataset-fashion-mnist or set data.dir)" : "";
            throw new RedTestException("data directory does not exist: " + dir + hint);
        }
        ImageDataset train = read(name, dir, Split.TRAIN);
        ImageDataset test = read(name, dir, Split.TEST);
        // statistics of the full training split, so a quick subset run normalises like the full run
        ChannelNormalization normalization = name.equals(DataSpec.CIFAR10)
                ? ChannelNormalization.CIFAR10 : ChannelNormalization.fromData(train);
        return new LoadedData(subset(train, spec.trainLimit(), spec.trainPerClass()),
                subset(test, spec.testLimit(), spec.testPerClass()), normalization);
    }

    private static ImageDataset read(String name, Path dir, Split split) {
        return switch (name) {
            case DataSpec.FASHION_MNIST -> FashionMnistReader.read(dir, split);
            case DataSpec.CIFAR10 -> CifarBinaryReader.readCifar10(dir, split);
            case DataSpec.CIFAR100 -> CifarBinaryReader.readCifar100(dir, split);
            default -> throw new IllegalStateException("unhandled dataset " + name);
        };
    }

    private static ImageDataset subset(ImageDataset data, Integer limit, Integer perClass) {
        if (limit != null) {
            return data.firstN(limit);
        }
        if (perClass != null) {
            return data.perClass(perClass);
        }
        return data;
    }
}
