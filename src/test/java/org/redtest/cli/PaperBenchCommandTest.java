package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.testing.CliRun;
import org.redtest.testing.TinyData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** {@code bench paper} end to end on tiny CIFAR-format data, its resume, and the HTML report of its results. */
class PaperBenchCommandTest {
    @TempDir
    static Path dir;
    static Path suite;
    static CliRun.Result first;

    @BeforeAll
    static void runSuite() throws Exception {
        CpuAcceleration.configure();
        Path cifar = TinyData.writeCifar10(dir.resolve("cifar"), 12, 4);
        Files.writeString(dir.resolve("nas.yaml"), """
                name: nas
                seed: 5
                data: {dataset: cifar10, dir: %s}
                measure: {batches: 1, batch_size: 12}
                search: {sample: 3, top_k: 2, channels: 2, cells: 1, budget: {epochs: 1, batch_size: 30}}
                """.formatted(cifar));
        suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                tier: cpu
                name: tiny
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                training: {epochs: 1, batch_size: 30, learning_rate: 0.05}
                measure: {batches: 1, batch_size: 12}
                depth: [resnet8, resnet14, resnet20]
                pruning: [{model: resnet14, keep: 3}]
                prune: {baselines: [random], finetune_epochs: 1, probe_train_images: 24}
                nas: nas.yaml
                nas_seeds: 2
                nas_sample: 2
                """.formatted(dir.resolve("out"), cifar));
        first = run("bench", "paper", "--tier", "cpu", "--suite", suite.toString());
    }

    private static Path out(String name) {
        return dir.resolve("out/tiny").resolve(name);
    }

    @Test
    void writesTableJsonAndFigures() throws Exception {
        assertEquals(0, first.exitCode(), first.err());
        JsonNode json = Console.JSON.readTree(out("paper.json").toFile());
        List<String> sections = new ArrayList<>();
        json.get("rows").forEach(r -> sections.add(r.get("section").asText()));
        for (String s : List.of("structure", "msrs vs depth", "pruning", "nas")) {
            assertTrue(sections.contains(s), "section " + s + " in " + sections);
        }
        json.get("rows").forEach(r -> {
            if (r.get("section").asText().equals("structure")) {
                assertEquals("PASS", r.get("verdict").asText(), r.toString());
            }
            assertTrue(List.of("PASS", "FAIL", "INFO").contains(r.get("verdict").asText()));
        });
        String md = Files.readString(out("paper.md"));
        assertTrue(md.contains("| structure | resnet56 Params | 853,018 | 853,018 |"), md);
        assertTrue(md.contains("resnet: MSRS grows with depth"), md);
        assertTrue(md.contains("S3 selects lower mean MSRS than S2"), md);
        assertTrue(md.contains("S3 MSRS - S2 MSRS") && md.contains("mean over 2 seeds; holds in "), md);
        assertTrue(md.contains("nas-scatter-seed6.png"), "the second seed's scatter is listed: " + md);
        for (String png : List.of("msrs-vs-depth.png", "resnet14-cka-before.png", "resnet14-cka-after.png", "nas-scatter.png",
                "nas-scatter-seed6.png")) {
            assertTrue(Files.size(out("figures/" + png)) > 1000, png);
        }
    }

    @Test
    void aSecondRunReusesEveryFinishedPart() throws Exception {
        FileTime trained = Files.getLastModifiedTime(out("resnet20/model.zip"));
        JsonNode rowsBefore = Console.JSON.readTree(out("paper.json").toFile()).get("rows");
        CliRun.Result again = run("bench", "paper", "--tier", "cpu", "--suite", suite.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertFalse(again.out().contains("train, evaluate and measure"), "nothing is recomputed: " + again.out());
        assertEquals(trained, Files.getLastModifiedTime(out("resnet20/model.zip")));
        assertEquals(rowsBefore, Console.JSON.readTree(out("paper.json").toFile()).get("rows"), "the same table again");
    }

    @Test
    void aSuiteStartedByAnotherBuildIsRefusedUnlessMixingIsAskedFor() throws Exception {
        Path builds = out("build.txt");
        String recorded = Files.readString(builds);
        assertEquals(org.redtest.provenance.SoftwareVersions.build(), recorded.strip(), "the suite records the build that ran it");
        Files.writeString(builds, "0123456789\n");
        try {
            CliRun.Result refused = run("bench", "paper", "--tier", "cpu", "--suite", suite.toString());
            assertEquals(1, refused.exitCode());
            assertTrue(refused.err().contains("holds work of build 0123456789, and this is build "
                    + org.redtest.provenance.SoftwareVersions.build()), refused.err());
            CliRun.Result mixed = run("bench", "paper", "--tier", "cpu", "--suite", suite.toString(), "--allow-mixed-builds");
            assertEquals(0, mixed.exitCode(), mixed.err());
            assertTrue(Files.readString(out("paper.md")).contains("parts from builds 0123456789, "), "the table names both builds");
        } finally {
            Files.writeString(builds, recorded);
        }
    }

    @Test
    void aCorruptPartIsRecomputed() throws Exception {
        Files.writeString(out("parts/depth-resnet8.json"), "{\"suite\": ");
        CliRun.Result again = run("bench", "paper", "--tier", "cpu", "--suite", suite.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("train, evaluate and measure resnet8"), again.out());
        assertFalse(again.out().contains("measure resnet14"), again.out());
    }

    @Test
    void reportEmbedsTablesAndFiguresInOnePage() throws Exception {
        CliRun.Result r = run("report", out("").toString());
        assertEquals(0, r.exitCode(), r.err());
        String html = Files.readString(out("report.html"));
        assertTrue(html.contains("<td>resnet56 Params</td>"), "reproduction table");
        assertTrue(html.contains("data:image/png;base64,"), "figures embedded");
        assertFalse(html.matches("(?s).*src=\"(?!data:).*"), "nothing is fetched from outside the page");

        CliRun.Result run = run("report", out("resnet14").toString(), "--out", dir.resolve("r14.html").toString());
        assertEquals(0, run.exitCode(), run.err());
        String page = Files.readString(dir.resolve("r14.html"));
        for (String section : List.of("Configuration", "Training (run status: finished)", "Redundancy measurement", "Pruning")) {
            assertTrue(page.contains("<h2>" + section), section);
        }
    }

    @Test
    void badInputGetsOneLineNamingIt() throws Exception {
        CliRun.Result missing = run("report", dir.resolve("nope").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no experiment file, run directory or run named"), missing.err());

        Path wrongTier = dir.resolve("gpu.yaml");
        Files.writeString(wrongTier, Files.readString(suite).replace("tier: cpu", "tier: gpu"));
        CliRun.Result tier = run("bench", "paper", "--tier", "cpu", "--suite", wrongTier.toString());
        assertEquals(1, tier.exitCode());
        assertTrue(tier.err().contains("is for the gpu tier"), tier.err());

        CliRun.Result unknownTier = run("bench", "paper", "--tier", "tpu");
        assertEquals(1, unknownTier.exitCode());
        assertTrue(unknownTier.err().contains("tier 'tpu' is not known; known tiers: cpu, gpu"), unknownTier.err());

        Path notDepth = dir.resolve("bad.yaml");
        Files.writeString(notDepth, Files.readString(suite).replace("{model: resnet14, keep: 3}", "{model: vgg11}"));
        CliRun.Result prune = run("bench", "paper", "--tier", "cpu", "--suite", notDepth.toString());
        assertEquals(1, prune.exitCode());
        assertTrue(prune.err().contains("pruning model 'vgg11' must be one of the depth models"), prune.err());
    }
}
