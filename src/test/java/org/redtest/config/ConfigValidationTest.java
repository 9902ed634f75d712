package org.redtest.config;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 15: what the loader refuses before any stage starts, each with one line naming the problem. */
class ConfigValidationTest {
    private static final String BODY = """
            model: resnet20
            data: {dataset: fashion-mnist, train_per_class: 10}
            training: {epochs: 3, lr_milestones: [2]}
            """;

    private static String refusal(String yaml) {
        RedTestException e = assertThrows(RedTestException.class, () -> ConfigLoader.parse(yaml, "test.yaml"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void runNameMustBeOneDirectoryBelowTheOutputDirectory() {
        for (String name : new String[]{"'.'", "'..'", "'...'", ".hidden", "a/b", "'../x'", "'a\\\\b'", "''", "' '"}) {
            String m = refusal("name: " + name + "\n" + BODY);
            assertTrue(m.contains("run name") || m.contains("'name'"), name + ": " + m);
        }
        assertTrue(refusal("name: '..'\n" + BODY).contains("must not start with '.'"));
        assertEquals("v1.2_run-3", ConfigLoader.parse("name: v1.2_run-3\n" + BODY, "t").config().name());
    }

    @Test
    void duplicateKeysAreRefusedNotLastOneWins() {
        String m = refusal("name: dup\n" + BODY + "model: vgg11\n");
        assertTrue(m.startsWith("duplicate key 'model' in test.yaml"), m);
        m = refusal("name: dup\n" + BODY.replace("epochs: 3", "epochs: 3, epochs: 4"));
        assertTrue(m.startsWith("duplicate key 'training.epochs'"), m);
    }

    @Test
    void lossyNumbersAreRefusedNotTruncated() {
        String m = refusal("name: lossy\n" + BODY.replace("epochs: 3", "epochs: 1.5"));
        assertTrue(m.contains("'training.epochs'") && m.contains("a whole number is required, got 1.5"), m);
        assertTrue(refusal("name: lossy\nseed: 4.2\n" + BODY).contains("'seed'"));
        assertTrue(refusal("name: big\n" + BODY.replace("epochs: 3", "epochs: 99999999999")).contains("'training.epochs'"));
    }

    @Test
    void nanAndInfinityNameTheKeyNotMalformedYaml() {
        for (String v : new String[]{".nan", ".NaN", ".inf", "-.inf", "+.Inf"}) {
            String m = refusal("name: nan\n" + BODY + "measure: {gamma: " + v + "}\n");
            assertTrue(m.startsWith("invalid value for 'measure.gamma' in test.yaml"), v + ": " + m);
            assertTrue(m.contains("finite number"), m);
        }
        String m = refusal("name: nan\n" + BODY.replace("epochs: 3", "epochs: 3, learning_rate: .inf"));
        assertTrue(m.startsWith("invalid value for 'training.learning_rate'"), m);
    }

    @Test
    void msrsParametersAreRangeChecked() {
        for (String gamma : new String[]{"1", "1.5", "2", "-1", "0"}) {
            String m = refusal("name: g\n" + BODY + "measure: {gamma: " + gamma + "}\n");
            assertTrue(m.startsWith("measure.gamma must be between 0 and 1"), gamma + ": " + m);
        }
        for (String beta : new String[]{"0", "-3"}) {
            assertTrue(refusal("name: b\n" + BODY + "measure: {beta: " + beta + "}\n").startsWith("measure.beta must be"));
        }
        assertEquals(0.99, ConfigLoader.parse("name: g\n" + BODY + "measure: {gamma: 0.99, beta: 5}\n", "t")
                .config().measure().gamma());
    }

    @Test
    void tauIsAThresholdInZeroToOne() {
        for (String tau : new String[]{"1.5", "0", "-0.2"}) {
            String m = refusal("name: t\n" + BODY + "prune: {tau: " + tau + "}\nstages: [train, prune]\n");
            assertTrue(m.startsWith("prune.tau must be in (0, 1]"), tau + ": " + m);
        }
        assertEquals(1.0, ConfigLoader.parse("name: t\n" + BODY + "prune: {tau: 1}\nstages: [train, prune]\n", "t")
                .config().prune().tau());
    }

    @Test
    void keepBeyondTheModelsPrunableUnitsIsRefusedAtLoad() {
        // resnet20: 9 BasicBlocks, all prunable; the check needs no graph and no data
        String stages = "stages: [train, evaluate, measure, prune]\n";
        String m = refusal("name: k\n" + BODY + "prune: {keep: 10}\n" + stages);
        assertTrue(m.contains("prune.keep must be between 1 and the 9 prunable units of resnet20, got 10"), m);
        assertEquals(9, ConfigLoader.parse("name: k\n" + BODY + "prune: {keep: 9}\n" + stages, "t").config().prune().keep());
        String vgg = BODY.replace("resnet20", "vgg:8,M,16");
        assertTrue(refusal("name: k\n" + vgg + "prune: {keep: 3}\n" + stages).contains("the 2 prunable units"));
    }
}
