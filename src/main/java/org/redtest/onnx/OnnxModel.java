package org.redtest.onnx;

import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;
import org.redtest.RedTestException;
import org.redtest.io.Sha256;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An ONNX file read at the edge: its graph (external weight files inlined), its one image input and its identity
 * (the SHA-256 of the file). Everything a user can get wrong about the file is refused here with one line.
 */
public final class OnnxModel {
    /** ONNX's TensorProto.DataType.FLOAT. */
    static final int FLOAT = 1;

    private final Path file;
    private final String sha256;
    private final ModelProto proto;
    private final ImageInput input;

    /** The image input: batch size ({@code -1} when dynamic) and a fixed C x H x W. */
    public record ImageInput(String name, long batch, int channels, int height, int width) {
        public String shapeText() {
            return channels + "x" + height + "x" + width;
        }
    }

    private OnnxModel(Path file, String sha256, ModelProto proto, ImageInput input) {
        this.file = file;
        this.sha256 = sha256;
        this.proto = proto;
        this.input = input;
    }

    public static OnnxModel read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RedTestException("ONNX model not found: " + file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            throw new RedTestException("cannot read ONNX model " + file + ": " + e.getMessage(), e);
        }
        return of(file, bytes);
    }

    /** A model held in memory ({@code file} names it and locates its external data, if any). */
    public static OnnxModel of(Path file, byte[] bytes) {
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new RedTestException(file + " is not a readable ONNX model (truncated, or not ONNX at all): "
                    + e.getMessage(), e);
        }
        if (proto.getIrVersion() <= 0 || !proto.hasGraph() || proto.getGraph().getNodeCount() == 0
                || proto.getGraph().getOutputCount() == 0) {
            throw new RedTestException(file + " is not an ONNX model (no IR version, graph nodes or outputs)");
        }
        proto = inlineExternalData(file, proto);
        return new OnnxModel(file, Sha256.hex(bytes), proto, imageInput(file, proto.getGraph()));
    }

    public Path file() {
        return file;
    }

    public String sha256() {
        return sha256;
    }

    public ModelProto proto() {
        return proto;
    }

    public GraphProto graph() {
        return proto.getGraph();
    }

    public ImageInput input() {
        return input;
    }

    /** A metadata entry (our exports record their units and family there). */
    public Optional<String> metadata(String key) {
        return proto.getMetadataPropsList().stream().filter(p -> p.getKey().equals(key))
                .map(StringStringEntryProto::getValue).findFirst();
    }

    /** The single graph input that is not an initializer: float, N x C x H x W, C, H and W fixed. */
    private static ImageInput imageInput(Path file, GraphProto graph) {
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        List<ValueInfoProto> inputs = graph.getInputList().stream()
                .filter(v -> !initializers.contains(v.getName())).toList();
        List<ValueInfoProto> images = inputs.stream().filter(OnnxModel::isFloatRank4).toList();
        if (images.isEmpty()) {
            throw new RedTestException(file + " has no image input (a float tensor N x C x H x W); its inputs are "
                    + inputs.stream().map(OnnxModel::describe).toList());
        }
        if (inputs.size() > 1) {
            throw new RedTestException(file + " has " + inputs.size() + " inputs " + inputs.stream()
                    .map(OnnxModel::describe).toList() + "; only models with one image input can be measured");
        }
        ValueInfoProto image = images.get(0);
        List<TensorShapeProto.Dimension> dims = image.getType().getTensorType().getShape().getDimList();
        for (int i = 1; i < 4; i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() <= 0) {
                throw new RedTestException(file + ": input '" + image.getName() + "' has a dynamic image size "
                        + describe(image) + "; export the model with a fixed channels x height x width");
            }
        }
        long batch = dims.get(0).hasDimValue() && dims.get(0).getDimValue() > 0 ? dims.get(0).getDimValue() : -1;
        return new ImageInput(image.getName(), batch, (int) dims.get(1).getDimValue(), (int) dims.get(2).getDimValue(),
                (int) dims.get(3).getDimValue());
    }

    private static boolean isFloatRank4(ValueInfoProto v) {
        return v.getType().hasTensorType() && v.getType().getTensorType().getElemType() == FLOAT
                && v.getType().getTensorType().getShape().getDimCount() == 4;
    }

    static String describe(ValueInfoProto v) {
        if (!v.getType().hasTensorType()) {
            return v.getName() + " (not a tensor)";
        }
        List<String> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            dims.add(d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
        }
        String type = TensorProto.DataType.forNumber(v.getType().getTensorType().getElemType()) == null ? "?"
                : TensorProto.DataType.forNumber(v.getType().getTensorType().getElemType()).name().toLowerCase();
        return v.getName() + " " + type + "[" + String.join(", ", dims) + "]";
    }

    /**
     * Weights kept in external data files (models over 2 GB, or exported with them) are read into the graph, so
     * ONNX Runtime can load it from memory; a missing or short data file is named.
     */
    private static ModelProto inlineExternalData(Path file, ModelProto proto) {
        GraphProto graph = proto.getGraph();
        if (graph.getInitializerList().stream().noneMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)) {
            return proto;
        }
        Path dir = file.toAbsolutePath().getParent();
        GraphProto.Builder g = graph.toBuilder();
        long total = 0;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            String location = null;
            long offset = 0;
            long length = -1;
            for (StringStringEntryProto e : t.getExternalDataList()) {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> { }
                }
            }
            Path data = location == null ? null : dir.resolve(location).normalize();
            if (data == null || !Files.isRegularFile(data)) {
                throw new RedTestException(file + " keeps the weights of '" + t.getName() + "' in the external data file "
                        + (location == null ? "(unnamed)" : data) + ", which is missing: keep it beside the model");
            }
            try (RandomAccessFile raf = new RandomAccessFile(data.toFile(), "r")) {
                long size = length >= 0 ? length : raf.length() - offset;
                total += size;
                if (offset + size > raf.length() || total > Integer.MAX_VALUE - (1 << 20)) {
                    throw new RedTestException(total > Integer.MAX_VALUE - (1 << 20)
                            ? file + ": models whose weights exceed 2 GB are not supported"
                            : file + ": external data file " + data + " is shorter than '" + t.getName() + "' needs");
                }
                byte[] bytes = new byte[(int) size];
                raf.seek(offset);
                raf.readFully(bytes);
                g.setInitializer(i, t.toBuilder().clearExternalData().setDataLocation(TensorProto.DataLocation.DEFAULT)
                        .setRawData(ByteString.copyFrom(bytes)).build());
            } catch (IOException e) {
                throw new RedTestException("cannot read external data " + data + " of " + file + ": " + e.getMessage(), e);
            }
        }
        return proto.toBuilder().setGraph(g).build();
    }
}
