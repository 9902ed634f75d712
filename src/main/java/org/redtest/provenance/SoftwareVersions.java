package org.redtest.provenance;

import org.redtest.engine.cpu.CpuAcceleration;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Provenance of a result: which RedTest, DL4J, Java and ND4J backend produced it. */
public final class SoftwareVersions {
    private SoftwareVersions() {
    }

    /**
     * The commit this build was made from (abbreviated), with "-dirty" when the working tree had changes, or
     * "unknown" for a build outside a git checkout.
     */
    public static String build() {
        Properties p = buildProperties();
        String commit = p.getProperty("redtest.commit", "");
        if (commit.isBlank() || commit.startsWith("${")) {
            return "unknown";
        }
        return commit + ("true".equals(p.getProperty("redtest.dirty")) ? "-dirty" : "");
    }

    private static Properties buildProperties() {
        Properties build = new Properties();
        try (InputStream in = SoftwareVersions.class.getResourceAsStream("/redtest.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException ignored) {
            // versions are informative; a missing resource leaves them "unknown"
        }
        return build;
    }

    public static Map<String, String> collect() {
        Properties build = buildProperties();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("redtest", build.getProperty("redtest.version", "unknown"));
        v.put("build", build());
        v.put("deeplearning4j", build.getProperty("dl4j.version", "unknown"));
        v.put("java", System.getProperty("java.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        CpuAcceleration.Status status = CpuAcceleration.status();
        v.put("nd4j_backend", status.backend());
        v.put("onednn_helpers", String.valueOf(status.oneDnnHelpersActive()));
        v.put("threads", String.valueOf(status.threads()));
        return v;
    }

    public static String json() {
        StringBuilder s = new StringBuilder("{");
        collect().forEach((k, val) -> s.append(s.length() > 1 ? ", " : "").append('"').append(k).append("\": \"")
                .append(val.replace("\"", "'")).append('"'));
        return s.append('}').toString();
    }
}
