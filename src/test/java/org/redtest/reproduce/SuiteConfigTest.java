package org.redtest.reproduce;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteConfigTest {
    @TempDir
    Path dir;

    @Test
    void shippedSuitesLoadWithTheirNasExperiments() {
        SuiteConfig cpu = SuiteConfig.load(Path.of("benchmarks/paper-cpu.yaml"));
        assertEquals("cpu", cpu.tier());
        assertEquals(Path.of("configs/nas-reduced.yaml"), Path.of(cpu.nas()));
        assertEquals(13, SuiteConfig.keepFor(cpu.pruning().get(0)), "ResNet-56 keeps as many blocks as the paper's 6-1-6");
        assertEquals(8, SuiteConfig.keepFor(cpu.pruning().get(1)));
        SuiteConfig gpu = SuiteConfig.load(Path.of("benchmarks/paper-gpu.yaml"));
        assertEquals(150, gpu.training().epochs());
        assertEquals(256, gpu.training().batchSize());
        assertEquals("cifar10", gpu.data().dataset());
        assertEquals("/data/cifar", gpu.withDataDir("/data/cifar").data().dir());
    }

    @Test
    void aFamilyMayTrainWithARecipeOfItsOwn() throws Exception {
        Path f = dir.resolve("f.yaml");
        Files.writeString(f, """
                tier: cpu
                data: {dataset: fashion-mnist}
                training: {epochs: 3, learning_rate: 0.05}
                training_by_family: {vgg: {epochs: 2, learning_rate: 0.01}}
                depth: [resnet8, vgg11]
                """);
        SuiteConfig s = SuiteConfig.load(f);
        assertEquals(0.05, s.trainingFor("resnet8").learningRate());
        assertEquals(0.01, s.trainingFor("vgg11").learningRate());
        assertEquals(2, s.trainingFor("vgg11").epochs());
        Files.writeString(f, "tier: cpu\ndata: {dataset: fashion-mnist}\ntraining_by_family: {lenet: {epochs: 1}}\n");
        RedTestException e = assertThrows(RedTestException.class, () -> SuiteConfig.load(f));
        assertTrue(e.getMessage().contains("unknown family 'lenet'"), e.getMessage());
    }

    @Test
    void unknownKeysAndTiersAreNamed() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "tier: cpu\ndata: {dataset: fashion-mnist}\ndepht: [resnet8]\n");
        RedTestException e = assertThrows(RedTestException.class, () -> SuiteConfig.load(f));
        assertTrue(e.getMessage().contains("unknown key 'depht'"), e.getMessage());
        Files.writeString(f, "tier: tpu\ndata: {dataset: fashion-mnist}\n");
        e = assertThrows(RedTestException.class, () -> SuiteConfig.load(f));
        assertTrue(e.getMessage().contains("tier 'tpu'"), e.getMessage());
        Files.writeString(f, "tier: cpu\ndata: {dataset: fashion-mnist}\ndepth: [resnet20]\npruning: [{model: resnet20}]\n");
        e = assertThrows(RedTestException.class, () -> SuiteConfig.load(f));
        assertTrue(e.getMessage().contains("needs 'keep'"), e.getMessage());
        Files.writeString(f, "tier: cpu\ndata: {dataset: fashion-mnist}\nnas: missing.yaml\n");
        e = assertThrows(RedTestException.class, () -> SuiteConfig.load(f));
        assertTrue(e.getMessage().contains("nas experiment file not found"), e.getMessage());
    }

    @Test
    void suiteNamesAndPruningBudgetsAreCheckedBeforeAnyModelTrains() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "tier: cpu\nname: '..'\ndata: {dataset: fashion-mnist}\ndepth: [resnet8]\n");
        RedTestException e = assertThrows(RedTestException.class, () -> SuiteConfig.load(f));
        assertTrue(e.getMessage().contains("suite name '..' must not start with '.'"), e.getMessage());
        Files.writeString(f, "tier: cpu\ndata: {dataset: fashion-mnist}\ndepth: [resnet8]\npruning: [{model: resnet8, keep: 4}]\n");
        e = assertThrows(RedTestException.class, () -> SuiteConfig.load(f));
        assertTrue(e.getMessage().contains("pruning model 'resnet8': keep must be between 1 and the 3 prunable units"), e.getMessage());
    }

    @Test
    void theEngineIsReadCheckedAndOverriddenButLeftOutOfTheSuitesFingerprint() throws Exception {
        Path f = dir.resolve("e.yaml");
        Files.writeString(f, """
                tier: cpu
                data: {dataset: fashion-mnist}
                depth: [resnet8]
                engine: spark
                spark: {master: "local[2]", max_failures: 2, conf: {spark.ui.enabled: "false"}}
                """);
        SuiteConfig s = SuiteConfig.load(f);
        assertEquals(SuiteConfig.SPARK, s.engine());
        assertEquals("local[2]", s.spark().master());
        assertEquals(2, s.spark().maxFailures());
        assertEquals("false", s.spark().conf().get("spark.ui.enabled"));
        SuiteConfig local = s.withEngine("local", null);
        assertEquals(SuiteConfig.LOCAL, local.engine());
        assertEquals("spark://head:7077", s.withEngine(null, "spark://head:7077").spark().master());
        assertEquals(SuiteConfig.LOCAL, SuiteConfig.load(Path.of("benchmarks/paper-cpu.yaml")).engine(), "local by default");

        // a suite started on one engine is finished on the other: the parts it saved are its own either way
        assertEquals(PaperSuite.fingerprint(s), PaperSuite.fingerprint(local));
        assertEquals(PaperSuite.fingerprint(s), PaperSuite.fingerprint(local.withEngine(null, "local[4]")));
        // ... and suites saved before the engine existed keep theirs: the JSON hashed is the old one, key for key
        String json = org.redtest.config.ConfigLoader.toJson(s, SuiteConfig.ENGINE_KEYS);
        assertEquals(org.redtest.config.ConfigLoader.toJson(s), org.redtest.config.ConfigLoader.toJson(s, java.util.List.of()));
        assertTrue(!json.contains("\"engine\"") && !json.contains("\"spark\"") && json.contains("\"performance\""), json);

        Files.writeString(f, "tier: cpu\ndata: {dataset: fashion-mnist}\nengine: yarn\n");
        RedTestException e = assertThrows(RedTestException.class, () -> SuiteConfig.load(f));
        assertTrue(e.getMessage().contains("engine must be 'local' or 'spark', got 'yarn'"), e.getMessage());
        Files.writeString(f, "tier: cpu\ndata: {dataset: fashion-mnist}\nspark: {max_failures: 0}\n");
        e = assertThrows(RedTestException.class, () -> SuiteConfig.load(f));
        assertTrue(e.getMessage().contains("spark.max_failures and spark.slots must be >= 1")
                && !e.getMessage().contains("search.spark"), e.getMessage());
    }

    @Test
    void aSparkTaskGetsTheSuiteBackFromItsJson() {
        SuiteConfig s = SuiteConfig.load(Path.of("benchmarks/paper-cpu.yaml")).withEngine("spark", "local[2]");
        SuiteConfig task = s.forTask(s.outputDir());
        SuiteConfig back = org.redtest.config.ConfigLoader.readText(org.redtest.config.ConfigLoader.toJson(task), "test",
                SuiteConfig.class).validate();
        assertEquals(task, back);
        assertEquals(s.directory(), back.directory());
        assertEquals(null, back.nas(), "executors have no NAS file to find");
        assertEquals(PaperSuite.fingerprint(s.withEngine("local", null).forTask(s.outputDir())), PaperSuite.fingerprint(back));
    }

    @Test
    void aBuildWithoutSparkSaysHowToGetOne() {
        RedTestException e = assertThrows(RedTestException.class, () -> org.redtest.spark.SparkClasses.instantiate(
                SweepEngine.class, "org.redtest.reproduce.spark.NoSuchEngine", "engine spark (the suite's trainings on Spark)",
                new Class<?>[] {}));
        assertTrue(e.getMessage().startsWith("engine spark (the suite's trainings on Spark) needs Spark's jars"), e.getMessage());
        assertTrue(e.getMessage().contains("mvn -Pcpu,spark -DskipTests package"), e.getMessage());
    }
}
