package org.redtest.spark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failed jobs make a candidate failed, and what is kept of their message. */
class TaskErrorsTest {
    private static final Exception TASK = new IllegalStateException("""
            Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times, most recent failure: Lost task 0.3 \
            in stage 3.0 (TID 7) (host executor 2): java.lang.OutOfMemoryError: Java heap space
            \tat org.redtest.Trainer.train(Trainer.java:1)
            Driver stacktrace:""");

    @Test
    void onlyATaskFailingEveryAttemptFailsTheCandidate() {
        assertTrue(TaskErrors.isTaskFailure(TASK));
        assertEquals(4, TaskErrors.attempts(TASK, 9));
        assertFalse(TaskErrors.isTaskFailure(new IllegalStateException("Job 3 cancelled because SparkContext was shut down")));
        assertFalse(TaskErrors.isTaskFailure(new IllegalStateException(
                "Job aborted due to stage failure: Total size of serialized results of 1 tasks (1100.0 MiB) is bigger than spark.driver.maxResultSize")));
    }

    @Test
    void theSummaryDropsStackLines() {
        String s = TaskErrors.summary(TASK);
        assertTrue(s.startsWith("IllegalStateException: Job aborted due to stage failure"), s);
        assertTrue(s.endsWith("java.lang.OutOfMemoryError: Java heap space"), s);
    }
}
