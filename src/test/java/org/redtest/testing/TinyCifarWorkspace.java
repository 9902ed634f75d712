package org.redtest.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redtest.engine.cpu.CpuAcceleration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The set-up that the end-to-end test classes share, once per class: the CPU path configured as the CLI
 * configures it, and a temporary directory holding a tiny CIFAR-10 set ({@link TinyData#writeCifar10}) beside
 * whatever the tests write there; the directory is removed after the class. Registered as
 * {@code @RegisterExtension static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(8, 11);}.
 */
public final class TinyCifarWorkspace implements BeforeAllCallback, AfterAllCallback {
    private final int perFile;
    private final long seed;
    private Path dir;
    private Path cifar;

    /** @param perFile images in each of the six CIFAR batch files; @param seed their pixels' seed */
    public TinyCifarWorkspace(int perFile, long seed) {
        this.perFile = perFile;
        this.seed = seed;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        CpuAcceleration.configure();
        dir = Files.createTempDirectory("redtest-" + context.getRequiredTestClass().getSimpleName());
        cifar = TinyData.writeCifar10(dir.resolve("cifar"), perFile, seed);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + p, e);
                }
            });
        }
    }

    /** The class's temporary directory. */
    public Path dir() {
        return dir;
    }

    /** The tiny CIFAR-10 directory inside it. */
    public Path cifar() {
        return cifar;
    }
}
