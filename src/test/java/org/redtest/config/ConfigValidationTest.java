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
}
