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
        if (earlier.stream().mapToDouble(PruningOutcome::latencyOriginal).distinct().count() != 1) {
            return Optional.empty();
        }
        List<PruningOutcome> kept = new ArrayList<>();
        for (PruningOutcome o : outcomes) {
            Optional<PruningOutcome> match = earlier.stream().filter(e -> sameModel(e, o)).findFirst();
            if (match.isEmpty()) {
                return Optional.empty();
            }
            PruningOutcome e = match.get();
            kept.add(o.withLatency(e.latencyOriginal(), e.latencyPruned(), e.latencyOriginalSpread(), e.latencyPrunedSpread(),
                    e.latencyFasterRounds(), e.latencyRounds()));
        }
        return Optional.of(kept);
    }

    private static List<String> units(PruningOutcome o) {
        return o.dropped().stream().map(PruningOutcome.DroppedUnit::unit).toList();
    }

    private static boolean sameModel(PruningOutcome earlier, PruningOutcome now) {
        return earlier.method().equals(now.method()) && earlier.seed() == now.seed()
                && earlier.originalSpec().equals(now.originalSpec()) && earlier.prunedSpec().equals(now.prunedSpec())
                && earlier.finetuneEpochs() == now.finetuneEpochs() && units(earlier).equals(units(now))
                && Double.isFinite(earlier.latencyOriginal()) && Double.isFinite(earlier.latencyPruned());
    }
}
