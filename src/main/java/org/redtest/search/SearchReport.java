package org.redtest.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.redtest.plot.PngFile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.redtest.RedTestException;
import org.redtest.config.RewardsConfig;
import org.redtest.storage.CandidateStatus;
import org.redtest.storage.CandidateStore;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison of the rewards (paper Fig. 6): for S1, S2 and S3, the top-k candidates' mean
 * accuracy, latency, Params and MSRS, as a console table, JSON and an accuracy-against-MSRS scatter.
 */
public final class SearchReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One reward's selection. */
    public record Selection(Reward reward, List<CandidateStore.Result> top, double accuracy, double latency,
                            double params, double msrs) {
    }

    private SearchReport() {
    }

    public static List<Selection> select(List<CandidateStore.Result> results, RewardsConfig settings, int k) {
        List<CandidateStore.Result> done = results.stream()
                .filter(r -> r.status() == CandidateStatus.DONE && Double.isFinite(r.accuracy())).toList();
        return Reward.all(settings).stream().map(reward -> {
            List<CandidateStore.Result> top = done.stream()
                    .sorted(Comparator.comparingDouble((CandidateStore.Result r) -> reward.score(metrics(r))).reversed())
                    .limit(k).toList();
            return new Selection(reward, top, mean(top, CandidateStore.Result::accuracy), mean(top, CandidateStore.Result::latency),
                    mean(top, r -> r.params()), mean(top, CandidateStore.Result::msrsMean));
        }).toList();
    }

    public static CandidateMetrics metrics(CandidateStore.Result r) {
        return new CandidateMetrics(r.accuracy(), r.params(), r.flops(), r.latency(), r.msrsMean());
    }

    private static double mean(List<CandidateStore.Result> rs, java.util.function.ToDoubleFunction<CandidateStore.Result> f) {
        return rs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /**
     * How much of the requested search the report covers: {@code done} finished candidates,
     * {@code claimed} still claimed by other search processes (training, or dead until someone
     * re-claims them), the rest pending. A report with claimed or pending candidates is partial.
     */
    public record Completeness(int requested, int done, int claimed) {
        public int pending() {
            return Math.max(0, requested - done - claimed);
        }

        public boolean partial() {
            return done < requested;
        }

        /** One line for the console, e.g. "PARTIAL report: 5 of 6 candidates done, 1 claimed by ..., 0 pending". */
        public String describe() {
            return partial()
                    ? String.format("PARTIAL report: %d of %d candidates done, %d claimed by other search processes, "
                    + "%d pending; run the search again when they finish for the full report", done, requested, claimed, pending())
                    : String.format("complete report: all %d candidates done", requested);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partial", partial());
            m.put("requested", requested);
            m.put("done", done);
            m.put("claimed", claimed);
            m.put("pending", pending());
            return m;
        }
    }

    public static String table(List<Selection> selections, int candidates, int degenerate) {
        StringBuilder s = new StringBuilder(String.format(
                "%d candidates evaluated (%d degenerate); mean over each reward's top %d:%n", candidates, degenerate,
                selections.get(0).top().size()));
        s.append(String.format("%-6s %10s %14s %12s %10s%n", "reward", "top-1 (%)", "latency (ms)", "Params", "MSRS"));
        for (Selection sel : selections) {
            s.append(String.format("%-6s %10.2f %14.3f %12.0f %10.2f%n", sel.reward(), sel.accuracy(), 1000 * sel.latency(),
                    sel.params(), sel.msrs()));
        }
        Selection s2 = selections.get(1);
        Selection s3 = selections.get(2);
        s.append(String.format("S3 selects lower mean MSRS than S2: %s (%.2f vs %.2f), at %s accuracy (%.2f vs %.2f)%n",
                s3.msrs() < s2.msrs() ? "yes" : "no", s3.msrs(), s2.msrs(),
                s3.accuracy() >= s2.accuracy() ? "equal or better" : "lower", s3.accuracy(), s2.accuracy()));
        return s.toString();
    }

    public static void writeJson(List<Selection> selections, Path file) {
        writeJson(selections, null, file);
    }

    /** The rewards' selections by reward name, and under "candidates" the completeness when known. */
    public static void writeJson(List<Selection> selections, Completeness completeness, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Map<String, Object> out = new LinkedHashMap<>();
            if (completeness != null) {
                out.put("candidates", completeness.json());
            }
            for (Selection sel : selections) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("mean_accuracy", sel.accuracy());
                m.put("mean_latency_s", sel.latency());
                m.put("mean_params", sel.params());
                m.put("mean_msrs", sel.msrs());
                m.put("top", sel.top().stream().map(r -> Map.of("index", r.index(), "arch", r.arch(),
                        "accuracy", r.accuracy(), "msrs", r.msrsMean(), "latency_s", r.latency(), "params", r.params())).toList());
                out.put(sel.reward().kind().word(), m);
            }
            JSON.writeValue(file.toFile(), out);
        } catch (IOException e) {
            throw new RedTestException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Accuracy against MSRS: all candidates in grey, each reward's selection in its colour. */
    public static void writeScatter(List<CandidateStore.Result> results, List<Selection> selections, Path png) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(600).title("NAS: accuracy against MSRS by reward")
                .xAxisTitle("MSRS").yAxisTitle("top-1 (%)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        List<CandidateStore.Result> done = results.stream()
                .filter(r -> r.status() == CandidateStatus.DONE && Double.isFinite(r.accuracy()) && Double.isFinite(r.msrsMean())).toList();
        if (!done.isEmpty()) {
            XYSeries all = chart.addSeries("all candidates", done.stream().mapToDouble(CandidateStore.Result::msrsMean).toArray(),
                    done.stream().mapToDouble(CandidateStore.Result::accuracy).toArray());
            all.setMarkerColor(new Color(180, 180, 180));
            all.setMarker(SeriesMarkers.CIRCLE);
        }
        Color[] colours = {new Color(214, 39, 40), new Color(31, 119, 180), new Color(44, 160, 44)};
        org.knowm.xchart.style.markers.Marker[] markers = {SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP};
        for (int i = 0; i < selections.size(); i++) {
            Selection sel = selections.get(i);
            List<CandidateStore.Result> top = sel.top().stream().filter(r -> Double.isFinite(r.msrsMean())).toList();
            if (top.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(sel.reward() + " top " + top.size(),
                    top.stream().mapToDouble(CandidateStore.Result::msrsMean).toArray(),
                    top.stream().mapToDouble(CandidateStore.Result::accuracy).toArray());
            series.setMarkerColor(colours[i]);
            series.setMarker(markers[i]);
        }
        org.redtest.plot.ChartStyle.apply(chart);
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            PngFile.write(chart, png);
        } catch (IOException e) {
            throw new RedTestException("cannot write plot " + png + ": " + e.getMessage(), e);
        }
    }
}
