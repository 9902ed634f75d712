package org.redtest.engine.cpu;

import org.slf4j.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A layer helper's oneDNN plans by shape key. A plan oneDNN refuses to build is remembered as
 * missing (the caller then falls back), with one log line naming the layer, the shape and the reason.
 */
final class PlanCache<P> {
    private final Map<String, P> plans = new HashMap<>();
    private final Logger log;
    private final String what;

    /** {@code what}: the log line's subject, e.g. "oneDNN batch norm". */
    PlanCache(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** The plan for {@code key}, built on first use; null when it cannot be built. */
    P get(String key, String layerName, String fallback, Supplier<P> build) {
        if (plans.containsKey(key)) {
            return plans.get(key);
        }
        P plan = null;
        try {
            plan = build.get();
        } catch (RuntimeException | LinkageError e) {
            log.info("layer {}: {} not available for {} ({}); {}", layerName, what, key, e.getMessage(), fallback);
        }
        plans.put(key, plan);
        return plan;
    }

    void clear() {
        plans.clear();
    }
}
