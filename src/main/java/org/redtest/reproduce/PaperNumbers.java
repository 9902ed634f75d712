package org.redtest.reproduce;

import java.util.Map;

/** The numbers of the paper (arXiv 2411.10507, CIFAR-10) that the reproduction suite compares against. */
public final class PaperNumbers {
    private PaperNumbers() {
    }

    /** Trainable parameters of the families at 10 classes, 3 input channels, as the paper gives them. */
    public static final Map<String, Long> PARAMS = Map.of(
            "resnet20", 269_722L, "resnet32", 464_154L, "resnet44", 658_586L, "resnet56", 853_018L,
            "resnet110", 1_727_962L, "resnet1202", 19_421_274L, "vgg19", 20_565_834L);

    /** A pruned structure of paper Table 1 with its reductions in percent. */
    public record PrunedStructure(String original, String pruned, double top1Original, double top1Pruned,
                                  double paramsReduction, double flopsReduction, double latencyReduction,
                                  int keptUnits) {
        public double top1Change() {
            return top1Pruned - top1Original;
        }
    }

    public static final Map<String, PrunedStructure> PRUNED = Map.of(
            "resnet56", new PrunedStructure("resnet56", "resnet:6-1-6", 93.11, 93.40, 45.00, 52.60, 50.78, 13),
            "vgg19", new PrunedStructure("vgg19", "vgg:64,M,128,128,M,256,256,M,512,512,M,512,M", 93.36, 93.01,
                    63.34, 54.41, 40.16, 8));

    /** Top-1 of the trained families on CIFAR-10 (paper Table E6). */
    public static final Map<String, Double> TOP1 = Map.of(
            "vgg11", 92.11, "vgg13", 93.68, "vgg16", 93.63, "vgg19", 93.36, "resnet20", 91.78,
            "resnet32", 92.38, "resnet44", 92.92, "resnet56", 93.11, "resnet110", 93.78);

    /** Mean accuracy and MSRS of each reward's selection on NATS-Bench CIFAR-10 (paper Fig. 6). */
    public record NasSelection(double accuracy, double msrs) {
    }

    public static final Map<String, NasSelection> NAS_CIFAR10 = Map.of(
            "S1", new NasSelection(94.10, 57.43), "S2", new NasSelection(91.85, 34.84), "S3", new NasSelection(92.37, 30.37));

    /** ResNet-1202's MSRS on CIFAR-10. */
    public static final double RESNET1202_MSRS = 95_817;
}
