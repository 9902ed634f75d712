package org.redtest.reproduce;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A suite directory's work comes from one build unless mixing is asked for. */
class SuiteBuildsTest {
    @TempDir
    Path dir;

    @Test
    void theFirstBuildIsRecordedAndTheSameBuildGoesOn() {
        assertEquals(List.of("aaaa"), SuiteBuilds.check(dir, "aaaa", false));
        assertEquals(List.of("aaaa"), SuiteBuilds.check(dir, "aaaa", false));
        assertTrue(Files.isRegularFile(dir.resolve(SuiteBuilds.FILE)));
    }

    @Test
    void partsFromTwoBuildsAreRefusedUnlessAskedFor() {
        SuiteBuilds.check(dir, "aaaa", false);
        RedTestException e = assertThrows(RedTestException.class, () -> SuiteBuilds.check(dir, "bbbb", false));
        assertTrue(e.getMessage().contains("holds work of build aaaa, and this is build bbbb"), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-mixed-builds"), e.getMessage());
        assertEquals(List.of("aaaa", "bbbb"), SuiteBuilds.check(dir, "bbbb", true), "the table names both builds");
        assertEquals(List.of("aaaa", "bbbb"), SuiteBuilds.check(dir, "aaaa", false), "both are now the suite's builds");
    }

    @Test
    void workFromBeforeBuildsWereRecordedCountsAsAnotherBuild() throws Exception {
        Files.createDirectories(dir.resolve("parts"));
        Files.writeString(dir.resolve("parts/depth-resnet8.json"), "{}");
        RedTestException e = assertThrows(RedTestException.class, () -> SuiteBuilds.check(dir, "aaaa", false));
        assertTrue(e.getMessage().contains("build " + SuiteBuilds.UNRECORDED), e.getMessage());
    }

    @Test
    void aStartedButEmptyDirectoryHasNoBuildYet() throws Exception {
        Files.createDirectories(dir.resolve("figures"));
        Files.writeString(dir.resolve("suite.json"), "{}");
        assertEquals(List.of("aaaa"), SuiteBuilds.check(dir, "aaaa", false));
    }
}
