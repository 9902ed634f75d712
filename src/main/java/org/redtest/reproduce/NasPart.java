package org.redtest.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.config.ExperimentConfig;
import org.redtest.config.StageName;
import org.redtest.data.DataLoader;
import org.redtest.data.DataSpec;
import org.redtest.experiment.SearchStage;
import org.redtest.io.AtomicFiles;
import org.redtest.storage.ResultsDatabase;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redundancy-aware NAS (paper Fig. 6): the suite's search experiment, run (or resumed) with its candidates in the
 * suite's database, and the claim that S3 selects lower MSRS than S2 at equal or better accuracy.
 */
final class NasPart {
    static final String SECTION = "nas";

    record Selection(double accuracy, double msrs, double latency, double params) {
    }

    /** Each reward's mean over its top-k, keyed S1, S2, S3. */
    record Result(String experiment, Map<String, Selection> selections) {
    }

    private NasPart() {
    }

    static Result run(SuiteConfig suite, String dataDirOverride, ResultsDatabase db, Path figures, PrintWriter out) {
        ExperimentConfig c = ConfigLoader.load(Path.of(suite.nas())).config();
        DataSpec data = dataDirOverride != null ? c.data().withDir(dataDirOverride) : c.data();
        ExperimentConfig cfg = c.withModel(null).withData(data).withStages(StageName.SEARCH)
                .withOutput(suite.directory().toString(), db.file().toString()).validate();
        SearchStage.run(cfg, DataLoader.load(cfg.data()), db, out);
        Path json = cfg.runDirectory().resolve("search.json");
        Map<String, Selection> selections = new LinkedHashMap<>();
        try {
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            root.fields().forEachRemaining(e -> {
                if (e.getValue().has("mean_accuracy")) { // reward selections; "candidates" is the completeness
                    selections.put(e.getKey(), new Selection(number(e.getValue(), "mean_accuracy"),
                    number(e.getValue(), "mean_msrs"), number(e.getValue(), "mean_latency_s"), number(e.getValue(), "mean_params")));
                }
            });
            AtomicFiles.copy(cfg.runDirectory().resolve("search-scatter.png"), figures.resolve("nas-scatter.png"));
        } catch (IOException e) {
            throw new RedTestException("cannot read the search report " + json + ": " + e.getMessage(), e);
        }
        return new Result(cfg.name(), selections);
    }

    /** The paper's S3 minus S2, for a figure of its Fig. 6. */
    private static double paperDifference(java.util.function.ToDoubleFunction<PaperNumbers.NasSelection> f) {
        return f.applyAsDouble(PaperNumbers.NAS_CIFAR10.get("S3")) - f.applyAsDouble(PaperNumbers.NAS_CIFAR10.get("S2"));
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    static List<ReproductionRow> rows(Result r) {
        List<ReproductionRow> rows = new ArrayList<>();
        r.selections().forEach((reward, s) -> {
            PaperNumbers.NasSelection paper = PaperNumbers.NAS_CIFAR10.get(reward);
            String why = "not judged: paper is NATS-Bench CIFAR-10 at 200 epochs";
            rows.add(ReproductionRow.info(SECTION, reward + " selection mean top-1", paper == null ? null : paper.accuracy(),
                    s.accuracy(), "%", why));
            rows.add(ReproductionRow.info(SECTION, reward + " selection mean MSRS", paper == null ? null : paper.msrs(),
                    s.msrs(), "MSRS", why));
        });
        Selection s1 = r.selections().get("S1");
        Selection s2 = r.selections().get("S2");
        Selection s3 = r.selections().get("S3");
        if (s1 == null || s2 == null || s3 == null) {
            return rows;
        }
        rows.add(ReproductionRow.claim(SECTION, String.format("S3 MSRS - S2 MSRS (%.2f vs %.2f)", s3.msrs(), s2.msrs()),
                paperDifference(PaperNumbers.NasSelection::msrs), s3.msrs() - s2.msrs(), "MSRS", "S3 selects lower mean MSRS than S2", s3.msrs() < s2.msrs()));
        rows.add(ReproductionRow.claim(SECTION, String.format("S3 top-1 - S2 top-1 (%.2f vs %.2f)", s3.accuracy(), s2.accuracy()),
                paperDifference(PaperNumbers.NasSelection::accuracy), s3.accuracy() - s2.accuracy(), "points", "S3 at equal or better mean accuracy than S2",
                s3.accuracy() >= s2.accuracy()));
        rows.add(ReproductionRow.claim(SECTION, "S1 has the highest mean top-1", null,
                s1.accuracy() - Math.max(s2.accuracy(), s3.accuracy()), "points", "S1 top-1 >= S2's and S3's",
                s1.accuracy() >= Math.max(s2.accuracy(), s3.accuracy())));
        rows.add(ReproductionRow.claim(SECTION, "S1 has the highest mean MSRS", null,
                s1.msrs() - Math.max(s2.msrs(), s3.msrs()), "MSRS", "S1 MSRS >= S2's and S3's",
                s1.msrs() >= Math.max(s2.msrs(), s3.msrs())));
        return rows;
    }
}
