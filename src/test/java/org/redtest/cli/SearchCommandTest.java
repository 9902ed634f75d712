package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.CliRun;
import org.redtest.testing.TinyData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** A sampled NATS search on tiny CIFAR-format data: evaluation, degenerate cells, report, resume. */
class SearchCommandTest {
    @TempDir
    static Path dir;
    static Path cifar;

    @BeforeAll
    static void setUp() throws Exception {
        CpuAcceleration.configure();
        cifar = TinyData.writeCifar10(dir.resolve("cifar"), 12, 4);
    }

    private static String finishedAt(ResultsDatabase db) throws Exception {
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(finished_at) FROM nas_candidates")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void sampledSearchRanksByEachRewardAndResumesWithoutRetraining() throws Exception {
        Path cfg = dir.resolve("s.yaml");
        Files.writeString(cfg, """
                name: nas
                seed: 5
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                measure: {batches: 1, batch_size: 12}
                search:
                  sample: 6
                  top_k: 2
                  channels: 2
                  cells: 1
                  budget: {epochs: 1, batch_size: 30, learning_rate: 0.05}
                """.formatted(dir.resolve("out"), cifar));
        CliRun.Result r = run("search", "--config", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("6 candidates evaluated"), r.out());
        assertTrue(r.out().contains("S3 selects lower mean MSRS than S2:"), r.out());
        JsonNode json = Console.JSON.readTree(dir.resolve("out/nas/search.json").toFile());
        for (String reward : new String[]{"S1", "S2", "S3"}) {
            assertTrue(json.get(reward).get("top").size() <= 2, reward);
        }
        assertTrue(Files.size(dir.resolve("out/nas/search-scatter.png")) > 0);
        String first;
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("out/redtest.db"))) {
            first = finishedAt(db);
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT definition FROM nas_budgets")) {
                assertTrue(rs.next());
                String definition = rs.getString(1);
                assertTrue(definition.contains("\"seed\" : 5") && definition.contains("cifar10") && definition.contains("\"epochs\" : 1"),
                        definition);
            }
        }

        CliRun.Result again = run("search", "--config", cfg.toString(), "--resume");
        assertEquals(0, again.exitCode(), again.err());
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("out/redtest.db"))) {
            assertEquals(first, finishedAt(db), "no candidate is evaluated twice");
        }
        assertTrue(again.out().contains("complete report: all 6 candidates done"), again.out());

        // another search process (on another host, so trusted alive) still trains one candidate: the report says so
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("out/redtest.db"));
             Statement s = db.connection().createStatement()) {
            s.executeUpdate("UPDATE nas_candidates SET status = 'claimed', claimed_by = 'elsewhere.example:1' "
                    + "WHERE arch_index = (SELECT MIN(arch_index) FROM nas_candidates)");
        }
        CliRun.Result partial = run("search", "--config", cfg.toString());
        assertEquals(0, partial.exitCode(), partial.err());
        assertTrue(partial.out().contains("PARTIAL report: 5 of 6 candidates done, 1 claimed by other search processes, 0 pending"),
                partial.out());
        JsonNode candidates = Console.JSON.readTree(dir.resolve("out/nas/search.json").toFile()).get("candidates");
        assertTrue(candidates.get("partial").asBoolean());
        assertEquals(1, candidates.get("claimed").asInt());
    }

    @Test
    void evolutionarySearchSavesEveryGenerationAndResumes() throws Exception {
        Path cfg = dir.resolve("e.yaml");
        String yaml = """
                name: evo
                seed: 6
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                measure: {batches: 1, batch_size: 12}
                search:
                  strategy: evolutionary
                  top_k: 2
                  channels: 2
                  cells: 1
                  budget: {epochs: 1, batch_size: 30, learning_rate: 0.05}
                  evolution: {population: 4, generations: GENERATIONS, reward: S3}
                """.formatted(dir.resolve("out2"), cifar);
        Files.writeString(cfg, yaml.replace("GENERATIONS", "1"));
        CliRun.Result r = run("search", "--config", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
        String afterOne;
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("out2/redtest.db"));
             Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(generation), COUNT(*) FROM nas_generations")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            afterOne = finishedAt(db);
        }
        // a longer run of the same search continues from the saved generation and reuses every candidate
        Files.writeString(cfg, yaml.replace("GENERATIONS", "2"));
        CliRun.Result more = run("search", "--config", cfg.toString(), "--resume");
        assertEquals(0, more.exitCode(), more.err());
        try (ResultsDatabase db = ResultsDatabase.open(dir.resolve("out2/redtest.db"));
             Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(generation) FROM nas_generations")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
            assertTrue(finishedAt(db).startsWith(afterOne), "earlier candidates keep their original evaluation");
        }
    }
}
