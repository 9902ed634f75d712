package org.redtest.engine.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The op-by-op comparison behind {@code bench gpu-ops}, run here with the reference on both sides. */
class KernelCasesTest {
    @Test
    void everyCaseRunsAndTheReferenceAgreesWithItself() {
        List<KernelCases.Result> results = KernelCases.compare(new JavaKernels(), new JavaKernels());
        assertTrue(KernelCases.names().size() >= 13, "every kind of operation has a case");
        assertEquals(KernelCases.names().size(), results.stream().map(KernelCases.Result::operation).distinct().count(),
                "each case compared at least one output");
        for (KernelCases.Result r : results) {
            assertEquals(0.0, r.largest(), r.operation() + " / " + r.output());
        }
    }
}
