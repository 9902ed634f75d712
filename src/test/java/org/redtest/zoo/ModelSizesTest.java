package org.redtest.zoo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The paper's exact parameter counts (10 classes, 3x32x32). Pure arithmetic, no DL4J. */
class ModelSizesTest {
    private static final Shape CIFAR = new Shape(3, 32, 32);

    @ParameterizedTest
    @CsvSource({
            "resnet20, 269722", "resnet32, 464154", "resnet44, 658586", "resnet56, 853018",
            "resnet110, 1727962", "resnet1202, 19421274", "vgg19, 20565834",
            "'nats:|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|', 1531546",
            "'nats:|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|', 241306",
            "'nats:|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 73306",
    })
    void paramsMatchSpec(String spec, long expected) {
        assertEquals(expected, ModelSpec.parse(spec).blueprint(CIFAR, 10).params());
    }

    @ParameterizedTest
    @CsvSource({"resnet8, 4", "resnet20, 10", "resnet56, 28", "resnet1202, 601", "vgg11, 8", "vgg13, 10",
            "vgg16, 13", "vgg19, 16", "'resnet:6-1-6', 14",
            "'nats:|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|', 18"})
    void unitCountsMatchSpec(String spec, int expected) {
        assertEquals(expected, ModelSpec.parse(spec).blueprint(CIFAR, 10).units().size());
    }

    /** The paper's pruned structures' reductions (its Table 1), to 0.1 percentage point. */
    @ParameterizedTest
    @CsvSource({
            "resnet56, 'resnet:6-1-6', 45.00, 52.60",
            "vgg19, 'vgg:64,M,128,128,M,256,256,M,512,512,M,512,M', 63.34, 54.41",
    })
    void prunedStructureReductions(String original, String pruned, double paramsReduction, double flopsReduction) {
        NetworkBlueprint a = ModelSpec.parse(original).blueprint(CIFAR, 10);
        NetworkBlueprint b = ModelSpec.parse(pruned).blueprint(CIFAR, 10);
        assertEquals(paramsReduction, 100.0 * (a.params() - b.params()) / a.params(), 0.1);
        assertEquals(flopsReduction, 100.0 * (a.flops() - b.flops()) / a.flops(), 0.1);
    }
}
