package org.redtest.similarity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.RedTestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * IRs saved elsewhere (e.g. by PyTorch hooks): one {@code .npy} file per measured unit in one
 * directory, ordered by file name, so {@code 00_stem.npy, 01_block1.npy, ...} gives the unit order.
 */
public final class ActivationDirectory {
    private static final String SUFFIX = ".npy";

    private ActivationDirectory() {
    }

    /** Unit names (file names without {@code .npy}) and their n x d IRs, in file-name order. */
    public record LoadedActivations(List<String> layers, List<INDArray> irs) {
        public LoadedActivations {
            layers = List.copyOf(layers);
            irs = List.copyOf(irs);
        }
    }

    public static LoadedActivations load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RedTestException("activation directory not found: " + dir);
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            files = entries.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new RedTestException("cannot list activation directory " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new RedTestException("no .npy files in activation directory " + dir);
        }
        for (Path file : files) { // a layer that cannot be read is an error, never a layer silently left out
            if (Files.isSymbolicLink(file) && !Files.exists(file)) {
                throw new RedTestException(file + " is a dangling symbolic link (its target does not exist); "
                        + "fix or remove it: every .npy file is a layer");
            }
            if (!Files.isRegularFile(file)) {
                throw new RedTestException(file + " is not a regular file; every .npy entry must be a layer's array");
            }
        }
        List<String> layers = new ArrayList<>();
        List<INDArray> irs = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            layers.add(name.substring(0, name.length() - SUFFIX.length()));
            INDArray stored = NpyReader.read(file);
            if (stored.rank() != 2 && stored.rank() != 4) {
                throw new RedTestException(file + ": expected an IR of shape n x d or n x C x H x W, got shape "
                        + Arrays.toString(stored.shape()));
            }
            INDArray ir = globalAveragePool(stored);
            if (ir != stored) {
                stored.close(); // the 4-D array can be hundreds of MB; only its pooled form is kept
            }
            irs.add(ir);
        }
        return new LoadedActivations(layers, irs);
    }

    /**
     * As for captured units: an n x C x H x W IR becomes n x C by averaging over H and W; an n x d IR is
     * returned as is. Any other rank is a programming error.
     */
    public static INDArray globalAveragePool(INDArray x) {
        return switch (x.rank()) {
            case 2 -> x;
            case 4 -> x.mean(2, 3);
            default -> throw new IllegalArgumentException("expected a 2-D or 4-D IR, got shape "
                    + Arrays.toString(x.shape()));
        };
    }
}
