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
}
