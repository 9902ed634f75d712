package org.redtest.onnx;

import java.util.List;

/**
 * The tensors measured as units of an imported model, how they were chosen, and the MSRS gamma that goes with
 * them (the family default when {@code auto} recognised a family, else null: the caller's or 0.8).
 */
public record UnitChoice(List<String> tensors, String rule, Double gamma) {
    public UnitChoice {
        tensors = List.copyOf(tensors);
    }
}
