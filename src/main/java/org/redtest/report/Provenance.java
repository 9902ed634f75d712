package org.redtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.redtest.provenance.SoftwareVersions;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The page's last section, collapsed: what a reader needs to reproduce or audit the run (configuration
 * text, the run's recorded facts with hashes, software versions, where the files are), none of which
 * answers "how redundant is it and what did pruning buy", so none of it comes first.
 */
final class Provenance {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Provenance() {
    }

    static void write(HtmlPage page, ExperimentReport.Source s, JsonNode runJson, RunRecord record) {
        page.heading(2, "Configuration and provenance");
        if (s.configText() != null) {
            boolean yaml = !s.configText().stripLeading().startsWith("{");
            page.details(yaml ? "Experiment file (YAML)" : "Suite configuration (JSON)").preformatted(s.configText()).close();
        }
        if (runJson != null) {
            List<List<String>> rows = new ArrayList<>();
            flatten("", runJson, rows);
            page.details("Run facts (run.json): model, data, normalisation, recipe, configuration hash")
                    .table(List.of("key", "value"), rows, null).close();
        }
        List<List<String>> software = new ArrayList<>();
        if (record != null) {
            software.add(List.of("run status", String.valueOf(record.status())));
            software.add(List.of("started", time(record.startedAt())));
            software.add(List.of("finished", time(record.finishedAt())));
            if (record.trainSeconds() != null) {
                software.add(List.of("training time", ReportNumbers.format("%.0f s", record.trainSeconds())));
            }
            versions(record.versions()).forEach(v -> software.add(List.of("ran with " + v.get(0), v.get(1))));
        }
        software.add(List.of("report written by build", SoftwareVersions.build()));
        software.add(List.of("directory", s.directory().toAbsolutePath().normalize().toString()));
        software.add(List.of("results database", s.database() == null ? "none found"
                : s.database().toAbsolutePath().normalize().toString()));
        page.details("Software, build and files").table(List.of("item", "value"), software, null).close();
    }

    /** Nested keys as dotted paths, nulls left out, numbers rounded to 4 significant digits. */
    static void flatten(String prefix, JsonNode node, List<List<String>> rows) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), rows));
        } else if (!node.isNull()) {
            rows.add(List.of(prefix, value(node)));
        }
    }

    static String value(JsonNode n) {
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(e -> parts.add(value(e)));
            return String.join(", ", parts);
        }
        if (n.isIntegralNumber()) {
            return n.asText();
        }
        if (n.isNumber()) {
            if (!Double.isFinite(n.asDouble())) {
                return ReportNumbers.NONE;
            }
            return new BigDecimal(n.asDouble()).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    /** A recorded instant to the second, in UTC; text that is not an instant is shown as it is. */
    static String time(String instant) {
        if (instant == null) {
            return ReportNumbers.NONE;
        }
        try {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC).format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static List<List<String>> versions(String json) {
        List<List<String>> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try {
            JSON.readTree(json).fields().forEachRemaining(e -> out.add(List.of(e.getKey(), e.getValue().asText())));
        } catch (IOException e) {
            out.add(List.of("versions", json)); // recorded text that is not JSON is still shown as it is
        }
        return out;
    }
}
