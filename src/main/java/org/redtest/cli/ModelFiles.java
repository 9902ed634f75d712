package org.redtest.cli;

import onnx.Onnx.ModelProto;
import org.redtest.RedTestException;
import org.redtest.onnx.OnnxExport;
import org.redtest.onnx.OnnxModel;
import org.redtest.training.TrainedModel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model named on the command line as an ONNX file or one of our checkpoints (a model.zip with its run.json),
 * as an ONNX model either way: a checkpoint is exported in memory, so both kinds are measured by the same path.
 */
final class ModelFiles {
    private ModelFiles() {
    }

    static OnnxModel open(Path file) {
        if (file.getFileName().toString().endsWith(".onnx")) {
            return OnnxModel.read(file);
        }
        if (!Files.isRegularFile(file)) {
            throw new RedTestException("model not found: " + file + " (give an .onnx file or a checkpoint model.zip)");
        }
        try (TrainedModel trained = TrainedModel.open(file)) {
            ModelProto proto = OnnxExport.of(trained.blueprint(), trained.graph(), trained.normalization());
            return OnnxModel.of(file, proto.toByteArray());
        }
    }
}
