package org.redtest.spark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Spark's local mode retries a task only when its master says so. */
class LocalRetriesTest {
    @Test
    void localMastersGetTheAttemptCountOthersAreLeftAlone() {
        assertEquals("local[2,4]", SparkRuntime.withLocalRetries("local[2]", 4));
        assertEquals("local[*,3]", SparkRuntime.withLocalRetries("local[*]", 3));
        assertEquals("local[1,4]", SparkRuntime.withLocalRetries("local", 4));
        assertEquals("local[2,7]", SparkRuntime.withLocalRetries("local[2,7]", 4));
        assertEquals("spark://head:7077", SparkRuntime.withLocalRetries("spark://head:7077", 4));
        assertEquals("yarn", SparkRuntime.withLocalRetries("yarn", 4));
    }
}
