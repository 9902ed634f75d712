package org.redtest.data;

import org.redtest.RedTestException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code data} section of an experiment file. Every field but {@code dataset} is optional:
 * a null limit / per-class count means "all images", a null {@code augment} means true, a null
 * {@code dir} means the Debian location for Fashion-MNIST (CIFAR has no default location).
 *
 * <p>The constructor accepts anything so that a YAML binder can build it; {@link #validate()} reports
 * problems with the config key names the user wrote.
 */
public record DataSpec(String dataset, String dir, Integer trainLimit, Integer trainPerClass,
                       Integer testLimit, Integer testPerClass, Boolean augment) {

    public static final String FASHION_MNIST = FashionMnistReader.NAME;
    public static final String CIFAR10 = CifarBinaryReader.CIFAR10;
    public static final String CIFAR100 = CifarBinaryReader.CIFAR100;
    public static final List<String> KNOWN_DATASETS = List.of(FASHION_MNIST, CIFAR10, CIFAR100);

    /** A spec that uses every image of {@code dataset} from {@code dir}, with augmentation. */
    public static DataSpec of(String dataset, String dir) {
        return new DataSpec(dataset, dir, null, null, null, null, null);
    }

    /** The same spec reading from {@code directory} (null: the dataset's default location). */
    public DataSpec withDir(String directory) {
        return new DataSpec(dataset, directory, trainLimit, trainPerClass, testLimit, testPerClass, augment);
    }

    /** The same spec with these image limits (null: all images; a limit and a per-class count exclude each other). */
    public DataSpec withLimits(Integer trainLimit, Integer trainPerClass, Integer testLimit) {
        return new DataSpec(dataset, dir, trainLimit, trainPerClass, testLimit, testPerClass, augment);
    }

    /** The same spec with augmentation on or off (null: the default, on). */
    public DataSpec withAugment(Boolean on) {
        return new DataSpec(dataset, dir, trainLimit, trainPerClass, testLimit, testPerClass, on);
    }

    /** Checks the spec; returns it for chaining. */
    public DataSpec validate() {
        datasetName();
        if (dir == null && !FASHION_MNIST.equals(datasetName())) {
            throw new RedTestException("data.dir is required for dataset " + datasetName()
                    + " (a directory holding the CIFAR binary files)");
        }
        if (dir != null && dir.isBlank()) {
            throw new RedTestException("data.dir is empty");
        }
        checkCount("data.train_limit", trainLimit);
        checkCount("data.train_per_class", trainPerClass);
        checkCount("data.test_limit", testLimit);
        checkCount("data.test_per_class", testPerClass);
        if (trainLimit != null && trainPerClass != null) {
            throw new RedTestException("data.train_limit and data.train_per_class are mutually exclusive; set one");
        }
        if (testLimit != null && testPerClass != null) {
            throw new RedTestException("data.test_limit and data.test_per_class are mutually exclusive; set one");
        }
        return this;
    }

    /** The dataset name, lower-cased, checked against {@link #KNOWN_DATASETS}. */
    public String datasetName() {
        if (dataset == null || dataset.isBlank()) {
            throw new RedTestException("data.dataset is missing; known datasets: " + String.join(", ", KNOWN_DATASETS));
        }
        String name = dataset.trim().toLowerCase(Locale.ROOT);
        if (!KNOWN_DATASETS.contains(name)) {
            throw new RedTestException("unknown dataset '" + dataset + "'; known datasets: "
                    + String.join(", ", KNOWN_DATASETS));
        }
        return name;
    }

    /** The data directory, with a leading {@code ~} expanded and the Fashion-MNIST default applied. */
    public Path resolvedDir() {
        if (dir == null) {
            return FashionMnistReader.defaultDir();
        }
        String d = dir.trim();
        if (d.equals("~") || d.startsWith("~/")) {
            d = System.getProperty("user.home") + d.substring(1);
        }
        return Path.of(d);
    }

    public boolean augmentOrDefault() {
        return augment == null || augment;
    }

    private static void checkCount(String key, Integer value) {
        if (value != null && value < 1) {
            throw new RedTestException(key + " must be at least 1, got " + value);
        }
    }
}
