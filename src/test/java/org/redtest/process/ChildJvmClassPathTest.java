package org.redtest.process;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A part's JVM finds RedTest's classes even when they were not on java.class.path (spark-submit's job jar). */
class ChildJvmClassPathTest {
    @Test
    void theJobJarIsAddedOnlyWhenMissing() {
        String sep = File.pathSeparator;
        Path jar = Path.of("/opt/redtest/redtest-spark.jar");
        assertEquals("/spark/jars/*" + sep + jar, ChildJvm.classPath("/spark/jars/*", jar));
        assertEquals("/opt/redtest/redtest-spark.jar" + sep + "/lib/a.jar",
                ChildJvm.classPath("/opt/redtest/redtest-spark.jar" + sep + "/lib/a.jar", jar));
        assertEquals("/lib/a.jar", ChildJvm.classPath("/lib/a.jar", null));
        String here = System.getProperty("java.class.path");
        assertEquals(here, ChildJvm.classPath(here, Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().getPath())),
                "the tests' own class path already holds RedTest's classes");
    }
}
