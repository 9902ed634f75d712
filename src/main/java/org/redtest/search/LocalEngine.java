package org.redtest.search;

import org.redtest.storage.CandidateOutcome;
import java.util.OptionalInt;
import java.util.function.Consumer;

/** Candidates one after another in this process: training already uses every core. */
public final class LocalEngine implements CandidateEngine {
    private final CandidateEvaluator evaluator;

    public LocalEngine(CandidateEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public void run(Source source, Consumer<CandidateOutcome> sink) {
        for (OptionalInt next = source.next(); next.isPresent(); next = source.next()) {
            sink.accept(evaluator.evaluate(next.getAsInt()));
        }
    }

    @Override
    public String describe() {
        return "local (this process)";
    }

    @Override
    public void close() {
    }
}
