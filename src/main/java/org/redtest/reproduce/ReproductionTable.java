package org.redtest.reproduce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.redtest.RedTestException;
import org.redtest.provenance.SoftwareVersions;
import org.redtest.storage.JsonNumbers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reproduction table as Markdown (for people) and JSON (for tools and the HTML report). */
public final class ReproductionTable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReproductionTable() {
    }

    public static String markdown(String title, String context, List<ReproductionRow> rows, List<String> figures) {
        StringBuilder s = new StringBuilder("# ").append(title).append("\n\n").append(context).append("\n\n");
        s.append(summary(rows)).append("\n\n");
        s.append("| section | item | paper | ours | difference | unit | criterion | verdict |\n");
        s.append("|---|---|---:|---:|---:|---|---|---|\n");
        for (ReproductionRow r : rows) {
            s.append("| ").append(r.section()).append(" | ").append(escape(r.item())).append(" | ").append(format(r.paper()))
                    .append(" | ").append(oursText(r)).append(" | ").append(format(r.difference())).append(" | ")
                    .append(r.unit()).append(" | ").append(escape(r.criterion())).append(" | ")
                    .append(r.verdict() == ReproductionRow.Verdict.FAIL ? "**FAIL**" : r.verdict().name()).append(" |\n");
        }
        if (!figures.isEmpty()) {
            s.append("\n## Figures\n\n");
            figures.forEach(f -> s.append("![").append(f).append("](").append(f).append(")\n\n"));
        }
        return s.toString();
    }

    /** "12 passed, 3 failed, 9 shown for context". */
    public static String summary(List<ReproductionRow> rows) {
        return String.format("%d passed, %d failed, %d shown for context (not judged).",
                count(rows, ReproductionRow.Verdict.PASS), count(rows, ReproductionRow.Verdict.FAIL),
                count(rows, ReproductionRow.Verdict.INFO));
    }

    private static long count(List<ReproductionRow> rows, ReproductionRow.Verdict v) {
        return rows.stream().filter(r -> r.verdict() == v).count();
    }

    public static void writeJson(Path file, String title, String context, List<ReproductionRow> rows, List<String> figures) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        root.put("context", context);
        root.put("summary", summary(rows));
        root.put("rows", rows.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("section", r.section());
            m.put("item", r.item());
            m.put("paper", r.paper());
            m.put("ours", r.ours() == null ? null : JsonNumbers.nanToNull(r.ours()));
            m.put("spread", r.spread());
            m.put("difference", r.difference());
            m.put("unit", r.unit());
            m.put("criterion", r.criterion());
            m.put("verdict", r.verdict().name());
            return m;
        }).toList());
        root.put("figures", figures);
        root.put("software", SoftwareVersions.collect());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new RedTestException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Ours, with "± sd" when it is a mean over seeds. */
    static String oursText(ReproductionRow r) {
        return r.spread() == null ? format(r.ours()) : format(r.ours()) + " ± " + format(r.spread());
    }

    static String format(Double v) {
        if (v == null) {
            return "—";
        }
        if (!Double.isFinite(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) >= 1000) {
            return String.format("%,d", (long) (double) v);
        }
        return Math.abs(v) >= 100 ? String.format("%.1f", v) : String.format("%.2f", v);
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
