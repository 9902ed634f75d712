package org.redtest.pruning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Latencies a finished pruning already timed, kept when the same experiment is run again. A re-run resumes every
 * fine-tuning and changes no model, so timing again only swaps one noisy figure for another; the earlier ones are
 * kept unless asked to re-time. They are kept only when every outcome (method, seed, original and pruned
 * structure) was timed before, all against one timing of the original, so the figures stay comparable.
 */
final class EarlierTimings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EarlierTimings() {
    }

    /** {@code outcomes} with the latencies of {@code report} (an earlier pruning-CRITERION.json), if it timed them all. */
    static Optional<List<PruningOutcome>> reuse(Path report, List<PruningOutcome> outcomes) {
        if (!Files.isRegularFile(report)) {
            return Optional.empty();
        }
        List<PruningOutcome> earlier = new ArrayList<>();
        try {
            JSON.readTree(report.toFile()).forEach(o -> earlier.add(PruningReport.fromJson(o, 0)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // an unreadable earlier file: time again
        }
        if (earlier.stream().mapToDouble(o -> o.before().latency()).distinct().count() != 1) {
            return Optional.empty();
        }
        List<PruningOutcome> kept = new ArrayList<>();
        for (PruningOutcome o : outcomes) {
            Optional<PruningOutcome> match = earlier.stream().filter(e -> sameModel(e, o)).findFirst();
            if (match.isEmpty()) {
                return Optional.empty();
            }
            PruningOutcome e = match.get();
            kept.add(o.withLatency(e.before().latency(), e.after().latency(), e.before().latencySpread(), e.after().latencySpread(),
                    e.latencyFasterRounds(), e.latencyRounds()));
        }
        return Optional.of(kept);
    }

    private static List<String> units(PruningOutcome o) {
        return o.selection().dropped().stream().map(PruningOutcome.DroppedUnit::unit).toList();
    }

    private static boolean sameModel(PruningOutcome earlier, PruningOutcome now) {
        return earlier.selection().method().equals(now.selection().method()) && earlier.selection().seed() == now.selection().seed()
                && earlier.before().spec().equals(now.before().spec()) && earlier.after().spec().equals(now.after().spec())
                && earlier.fineTuning().epochs() == now.fineTuning().epochs() && units(earlier).equals(units(now))
                && Double.isFinite(earlier.before().latency()) && Double.isFinite(earlier.after().latency());
    }
}
