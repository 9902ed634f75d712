package org.redtest.cli;

import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.onnx.OnnxFixtures;
import org.redtest.testing.CliRun;
import org.redtest.testing.NpyFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 27: every bad ONNX input is answered with one line naming the problem, and nothing is recorded. */
class OnnxBadInputTest {
    @TempDir
    Path dir;

    private CliRun.Result msrs(Path model, String... more) {
        String[] base = {"msrs", "--onnx", model.toString(), "--inputs", OnnxFixtures.images().toString(),
                "--batch-size", "32", "--batches", "1", "--db", dir.resolve("r.db").toString(), "--out", dir.resolve("out").toString()};
        String[] args = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.run(args);
    }

    private void assertOneLine(CliRun.Result r, String fragment) {
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(dir.resolve("r.db")), "nothing recorded");
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void aFileThatIsNotOnnxIsRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.onnx"), "these are not the weights you are looking for\n");
        assertOneLine(msrs(text), "is not a");
    }

    @Test
    void aTruncatedModelIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(OnnxFixtures.file("resnet18.onnx"));
        Path cut = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(whole, whole.length / 2));
        assertOneLine(msrs(cut), "truncated");
    }

    @Test
    void aModelWithoutAnImageInputIsRefused() throws Exception {
        ValueInfoProto vector = value("x", 1, 10);
        GraphProto graph = GraphProto.newBuilder().setName("mlp").addInput(vector).addOutput(value("y", 1, 10))
                .addNode(NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y")).build();
        Path model = Files.write(dir.resolve("mlp.onnx"), ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build().toByteArray());
        assertOneLine(msrs(model), "has no image input (a float tensor N x C x H x W); its inputs are [x float[1, 10]]");
    }

    @Test
    void aUnitNameThatDoesNotExistIsRefused() {
        assertOneLine(msrs(OnnxFixtures.file("resnet18.onnx"), "--units", "no_such_tensor,other"),
                "unit 'no_such_tensor' is not an activation tensor");
    }

    @Test
    void imagesOfTheWrongShapeAreRefusedWithBothShapes() throws Exception {
        Path grey = NpyFiles.writeFloat32(dir.resolve("grey.npy"), new long[] {8, 1, 32, 32}, new float[8 * 32 * 32]);
        CliRun.Result r = CliRun.run("msrs", "--onnx", OnnxFixtures.file("vgg11_bn.onnx").toString(), "--inputs",
                grey.toString(), "--db", dir.resolve("r.db").toString(), "--out", dir.resolve("out").toString());
        assertOneLine(r, "are 1x32x32 but the model takes 3x64x64: give images of that shape, or --fit-input");
    }

    @Test
    void anExternalDataModelWithoutItsDataFileIsRefused() throws Exception {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(OnnxFixtures.file("resnet18.onnx")));
        GraphProto.Builder g = model.getGraph().toBuilder();
        TensorProto first = g.getInitializer(0);
        g.setInitializer(0, first.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("resnet18.onnx.data"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length")
                        .setValue(String.valueOf(first.getRawData().size()))));
        Path external = Files.write(dir.resolve("resnet18.onnx"), model.toBuilder().setGraph(g).build().toByteArray());
        assertOneLine(msrs(external), "in the external data file " + dir.resolve("resnet18.onnx.data") + ", which is missing");

        // with its data file beside it, the same model loads and is measured
        Files.write(dir.resolve("resnet18.onnx.data"), first.getRawData().toByteArray());
        assertEquals(0, msrs(external).exitCode());
    }

    @Test
    void aModelWithADynamicImageSizeIsRefusedNamingItsInput() throws Exception {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(OnnxFixtures.file("vgg11_bn.onnx")));
        GraphProto.Builder g = model.getGraph().toBuilder();
        ValueInfoProto.Builder input = g.getInputBuilder(0);
        input.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2).clearDimValue().setDimParam("height");
        Path dynamic = Files.write(dir.resolve("dynamic.onnx"), model.toBuilder().setGraph(g).build().toByteArray());
        assertOneLine(msrs(dynamic), "input 'images' has a dynamic image size images float[batch, 3, height, 64]");
    }

    @Test
    void anOpOnnxRuntimeDoesNotKnowIsRefusedNamingTheNode() throws Exception {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(OnnxFixtures.file("vgg11_bn.onnx")));
        GraphProto.Builder g = model.getGraph().toBuilder();
        NodeProto.Builder node = g.getNodeBuilder(1);
        String name = node.getName();
        node.setOpType("Frobnicate");
        Path odd = Files.write(dir.resolve("odd.onnx"), model.toBuilder().setGraph(g).build().toByteArray());
        assertOneLine(msrs(odd), "ONNX Runtime cannot load");
        assertTrue(msrs(odd).err().contains(name), "names the node " + name);
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }
}
