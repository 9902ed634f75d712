package org.redtest.zoo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An architecture without some of its units, as {@link Architecture#without} builds it, and which original
 * unit each of its units is: the reduced network has canonical names (its spec builds it anew), so
 * {@code unitOrigins} (new unit name -> original unit name, in network order) is how trained weights and
 * reported names find their way back to the original.
 */
public record ReducedArchitecture(Architecture architecture, Map<String, String> unitOrigins) {
    public ReducedArchitecture {
        unitOrigins = Collections.unmodifiableMap(new LinkedHashMap<>(unitOrigins)); // keeps network order
    }
}
