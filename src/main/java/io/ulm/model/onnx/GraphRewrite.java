package io.ulm.model.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

/**
 * Post-edits a GraphProto built by Tribuo's ONNXContext: it only creates float [batch, d] inputs and outputs and
 * appends a counter to initializer names, while a served model needs exact types, shapes and names.
 */
final class GraphRewrite {

    private final OnnxMl.GraphProto.Builder graph;

    private GraphRewrite(OnnxMl.GraphProto graph) {
        this.graph = graph.toBuilder();
    }

    static GraphRewrite of(OnnxMl.GraphProto graph) {
        return new GraphRewrite(graph);
    }

    /** Renames an initializer and every node input that refers to it. */
    GraphRewrite renameInitializer(String from, String to) {
        for (OnnxMl.TensorProto.Builder tensor : graph.getInitializerBuilderList()) {
            if (tensor.getName().equals(from)) {
                tensor.setName(to);
            }
        }
        for (OnnxMl.NodeProto.Builder node : graph.getNodeBuilderList()) {
            for (int at = 0; at < node.getInputCount(); at++) {
                if (node.getInput(at).equals(from)) {
                    node.setInput(at, to);
                }
            }
        }
        return this;
    }

    /** Dimensions are Integers (fixed) or Strings (symbolic, e.g. the batch "N"). */
    GraphRewrite retypeInput(String name, DataType type, Object... dims) {
        for (OnnxMl.ValueInfoProto.Builder input : graph.getInputBuilderList()) {
            if (input.getName().equals(name)) {
                input.setType(tensorType(type, dims));
                return this;
            }
        }
        throw new IllegalArgumentException("no input " + name);
    }

    GraphRewrite retypeOutput(String name, DataType type, Object... dims) {
        for (OnnxMl.ValueInfoProto.Builder output : graph.getOutputBuilderList()) {
            if (output.getName().equals(name)) {
                output.setType(tensorType(type, dims));
                return this;
            }
        }
        throw new IllegalArgumentException("no output " + name);
    }

    OnnxMl.GraphProto build() {
        return graph.build();
    }

    private static OnnxMl.TypeProto tensorType(DataType type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder d = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof Integer fixed) {
                d.setDimValue(fixed);
            } else {
                d.setDimParam((String) dim);
            }
            shape.addDim(d);
        }
        return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(type.getNumber()).setShape(shape)).build();
    }
}
