package org.redtest.zoo;

import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 25 item 8: sizes in 64-bit arithmetic, and a network that cannot fit refused with its numbers before any work. */
class ModelSizeTest {
    private static final Shape CIFAR = new Shape(3, 32, 32);

    @Test
    void moreParametersThanDl4jCanIndexAreRefusedWithTheTrueCount() {
        NetworkBlueprint huge = ModelSpec.parse("nats[C=4000,N=1]:#1234").blueprint(CIFAR, 10);
        long params = Dl4jGraphFactory.expectedParameterCount(huge);
        assertTrue(params > Integer.MAX_VALUE * 2L, "counted without wrapping: " + params);
        var e = assertThrows(RedTestException.class, () -> ModelSize.requireFits(huge, 128, Long.MAX_VALUE));
        assertTrue(e.getMessage().matches(".* has [0-9,]{13} parameters; at most 2,147,483,647 fit in one network.*"),
                e.getMessage());
    }

    @Test
    void aModelThatNeedsMoreMemoryThanTheMachineHasIsRefusedWithTheNumbers() {
        NetworkBlueprint r8 = ModelSpec.parse("resnet8").blueprint(CIFAR, 10);
        long bytes = ModelSize.trainingBytes(r8, 256);
        assertEquals(Dl4jGraphFactory.expectedParameterCount(r8) * 16 + ModelSize.activationsPerImage(r8) * 256 * 8, bytes);
        var e = assertThrows(RedTestException.class, () -> ModelSize.requireFits(r8, 256, bytes - 1));
        assertTrue(e.getMessage().startsWith("resnet8 needs at least ") && e.getMessage().contains("at batch size 256 ("
                + String.format(java.util.Locale.ROOT, "%,d", Dl4jGraphFactory.expectedParameterCount(r8)) + " parameters"),
                e.getMessage());
        assertDoesNotThrow(() -> ModelSize.requireFits(r8, 256, bytes));
        // C=100000 overflowed 32-bit products before; here it is a refusal, not std::bad_alloc
        NetworkBlueprint absurd = ModelSpec.parse("nats[C=100000,N=1]:#1").blueprint(CIFAR, 10);
        assertThrows(RedTestException.class, () -> ModelSize.requireFits(absurd, 256));
    }

    @Test
    void aRepeatedOptionInAModelSpecIsRefused() {
        var e = assertThrows(RedTestException.class, () -> ModelSpec.parse("nats[C=8,N=1,C=16]:#1"));
        assertEquals("invalid model spec 'nats[C=8,N=1,C=16]:#1': NATS option C is given twice", e.getMessage());
    }
}
