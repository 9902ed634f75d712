package org.redtest.search.spark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Spark's local mode retries a task only when its master says so. */
class LocalRetriesTest {
    @Test
    void localMastersGetTheAttemptCountOthersAreLeftAlone() {
        assertEquals("local[2,4]", SparkCandidateEngine.withLocalRetries("local[2]", 4));
        assertEquals("local[*,3]", SparkCandidateEngine.withLocalRetries("local[*]", 3));
        assertEquals("local[1,4]", SparkCandidateEngine.withLocalRetries("local", 4));
        assertEquals("local[2,7]", SparkCandidateEngine.withLocalRetries("local[2,7]", 4));
        assertEquals("spark://head:7077", SparkCandidateEngine.withLocalRetries("spark://head:7077", 4));
        assertEquals("yarn", SparkCandidateEngine.withLocalRetries("yarn", 4));
    }
}
