package org.redtest.onnx;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The ONNX fixtures made by src/test/onnx/make_fixtures.py (torchvision models, PyTorch hook dumps). */
public final class OnnxFixtures {
    private OnnxFixtures() {
    }

    public static Path file(String name) {
        try {
            return Path.of(OnnxFixtures.class.getResource("/onnx/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture onnx/" + name + ": run src/test/onnx/make_fixtures.py", e);
        }
    }

    public static Path images() {
        return file("images.npy");
    }
}
