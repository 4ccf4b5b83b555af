package io.ulm.model;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A factorisation recommender written as raw ONNX protobuf, without Tribuo's graph builder or ULM's trainer:
 * "a model built elsewhere" that only meets the recommender contract (docs/models.md).
 */
final class HandBuiltRecommender {

    private HandBuiltRecommender() {
    }

    /** scores = user_factors[user] · item_factors^T − 1e9 · seen_mask; TopK(k). */
    static byte[] build(float[][] users, float[][] items) {
        int f = users[0].length;
        float[][] itemsT = new float[f][items.length];
        for (int i = 0; i < items.length; i++) {
            for (int j = 0; j < f; j++) {
                itemsT[j][i] = items[i][j];
            }
        }
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("hand-built-mf")
                .addInitializer(tensor("U", users)).addInitializer(tensor("VT", itemsT))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("big").setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .addFloatData(1e9f).build())
                .addInput(input("user", OnnxMl.TensorProto.DataType.INT64, -1))
                .addInput(input("seen_mask", OnnxMl.TensorProto.DataType.FLOAT, -1, items.length))
                .addInput(input("k", OnnxMl.TensorProto.DataType.INT64, 1))
                .addNode(node("Gather", new String[]{"U", "user"}, new String[]{"u"}))
                .addNode(node("MatMul", new String[]{"u", "VT"}, new String[]{"raw"}))
                .addNode(node("Mul", new String[]{"seen_mask", "big"}, new String[]{"penalty"}))
                .addNode(node("Sub", new String[]{"raw", "penalty"}, new String[]{"masked"}))
                .addNode(node("TopK", new String[]{"masked", "k"}, new String[]{"scores", "items"}))
                .addOutput(input("scores", OnnxMl.TensorProto.DataType.FLOAT, -1, -1))
                .addOutput(input("items", OnnxMl.TensorProto.DataType.INT64, -1, -1))
                .build();
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("ulm-test-by-hand")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build().toByteArray();
    }

    private static OnnxMl.TensorProto tensor(String name, float[][] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * values[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : values) {
            for (float v : row) {
                buffer.putFloat(v);
            }
        }
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .addDims(values.length).addDims(values[0].length).setRawData(ByteString.copyFrom(buffer.array())).build();
    }

    private static OnnxMl.ValueInfoProto input(String name, OnnxMl.TensorProto.DataType type, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N" + shape.getDimCount())
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    private static OnnxMl.NodeProto node(String op, String[] inputs, String[] outputs) {
        OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + "-" + outputs[0]);
        for (String i : inputs) {
            node.addInput(i);
        }
        for (String o : outputs) {
            node.addOutput(o);
        }
        return node.build();
    }
}
