package org.redtest.config;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** search.engine and search.spark in experiment files, and the command-line overrides. */
class SearchEngineConfigTest {
    private static final String BASE = "name: s\ndata: {dataset: cifar10, dir: /nowhere}\n";

    @Test
    void localByDefaultAndSparkSettingsRead() {
        SearchConfig plain = ConfigLoader.parse(BASE + "search: {sample: 3}\n", "t").config().search();
        assertEquals(EngineKind.LOCAL, plain.engine());
        assertNull(plain.spark().master());
        assertEquals(4, plain.spark().maxFailures());

        SearchConfig s = ConfigLoader.parse(BASE + """
                search:
                  sample: 3
                  engine: Spark
                  spark: {master: "local[2]", max_failures: 2, slots: 8, conf: {spark.executor.memory: 4g, spark.task.cpus: 1}}
                """, "t").config().search();
        assertEquals(EngineKind.SPARK, s.engine());
        assertEquals("local[2]", s.spark().master());
        assertEquals(2, s.spark().maxFailures());
        assertEquals(8, s.spark().slots());
        assertEquals(Map.of("spark.executor.memory", "4g", "spark.task.cpus", "1"), s.spark().conf());

        SearchConfig flags = plain.withEngine(EngineKind.SPARK, "spark://head:7077");
        assertEquals(EngineKind.SPARK, flags.engine());
        assertEquals("spark://head:7077", flags.spark().master());
        assertEquals(plain.sample(), flags.sample());
        assertEquals(s, s.withEngine(null, null), "no flags, no change");
    }

    @Test
    void badEngineSettingsAreRefusedWithTheKey() {
        RedTestException e = assertThrows(RedTestException.class,
                () -> ConfigLoader.parse(BASE + "search: {sample: 3, engine: yarn}\n", "t"));
        assertTrue(e.getMessage().contains("'search.engine'") && e.getMessage().contains("unknown search engine 'yarn'; known: local, spark"),
                e.getMessage());
        e = assertThrows(RedTestException.class,
                () -> ConfigLoader.parse(BASE + "search: {sample: 3, spark: {max_failures: 0}}\n", "t"));
        assertTrue(e.getMessage().contains("search.spark.max_failures"), e.getMessage());
        e = assertThrows(RedTestException.class,
                () -> ConfigLoader.parse(BASE + "search: {sample: 3, spark: {masterr: x}}\n", "t"));
        assertTrue(e.getMessage().contains("unknown key 'search.spark.masterr'"), e.getMessage());
    }
}
