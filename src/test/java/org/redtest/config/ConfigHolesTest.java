package org.redtest.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;
import org.redtest.zoo.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 25 items 9, 11, 12: line numbers, one rule for ~, a keep that cannot be met, the size of the whole file. */
class ConfigHolesTest {
    private static final String BODY = """
            model: resnet8
            data: {dataset: fashion-mnist, train_per_class: 10}
            training:
              epochs: 3
              lr_milestones: [2]
            """;

    @TempDir
    Path dir;

    private static String refusal(String yaml) {
        RedTestException e = assertThrows(RedTestException.class, () -> ConfigLoader.parse(yaml, "test.yaml"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void anUnknownKeyIsReportedOnItsOwnLine() {
        assertTrue(refusal("nmae: x\nname: a\n" + BODY).startsWith("unknown key 'nmae' in test.yaml (line 1)"));
        String nested = refusal("name: a\n" + BODY + "  epohcs: 4\nseed: 3\n");
        assertTrue(nested.startsWith("unknown key 'training.epohcs' in test.yaml (line 7)"), nested);
        String value = refusal("name: a\n" + BODY.replace("epochs: 3", "epochs: three"));
        assertTrue(value.startsWith("invalid value for 'training.epochs' in test.yaml (line 5)"), value);
    }

    @Test
    void tildeIsTheHomeDirectoryInEveryPathKey() {
        String home = System.getProperty("user.home");
        ExperimentConfig c = ConfigLoader.parse("name: a\noutput_dir: ~/runs\ndatabase: ~/r.db\n" + BODY
                .replace("train_per_class: 10", "train_per_class: 10, dir: ~/data"), "t").config();
        assertEquals(Path.of(home, "runs", "a"), c.runDirectory());
        assertEquals(Path.of(home, "r.db"), c.databasePath());
        assertEquals(Path.of(home, "data"), c.data().resolvedDir());
        ExperimentConfig other = ConfigLoader.parse("name: a\noutput_dir: ~bob/runs\n" + BODY, "t").config();
        var e = assertThrows(RedTestException.class, other::runDirectory);
        assertTrue(e.getMessage().startsWith("output_dir '~bob/runs': only ~ and ~/... (your home directory) are expanded"),
                e.getMessage());
    }

    @Test
    void aKeepThatTheStagesCannotMeetIsRefused() {
        var e = assertThrows(RedTestException.class, () -> PruneConfig.builder().keep(2).build()
                .checkAgainst(ModelSpec.parse("resnet8")));
        assertEquals("prune.keep 2 cannot be met on resnet8: each of its 3 stages keeps one of its 3 prunable units, so "
                + "at least 3 stay", e.getMessage());
        PruneConfig.builder().keep(3).build().checkAgainst(ModelSpec.parse("resnet14"));
    }

    @Test
    void theSizeLimitCountsCommentsToo() throws Exception {
        Path f = dir.resolve("big.yaml");
        StringBuilder text = new StringBuilder("name: a\n" + BODY);
        String comment = "# " + "x".repeat(1000) + "\n";
        while (text.length() <= ConfigLoader.MAX_BYTES) {
            text.append(comment);
        }
        Files.writeString(f, text);
        var e = assertThrows(RedTestException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().matches("config file .*big\\.yaml is [0-9,]+ bytes; settings files are limited to "
                + "1,048,576 bytes \\(1 MiB\\), comments included"), e.getMessage());
    }
}
