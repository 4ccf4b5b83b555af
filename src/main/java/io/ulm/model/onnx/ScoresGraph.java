package io.ulm.model.onnx;

import ai.onnx.proto.OnnxMl;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Derives a recommender graph's <em>scores graph</em>: the same graph without its final TopK, answering the TopK's
 * data input (the masked scores of every item, FLOAT [N, items], by item index) as its only output; nodes, inputs and
 * initializers that no longer lead to it (k, the TopK itself) are dropped. The served blend needs every item's score:
 * asking the full graph for k = all items sorts them all, only for the server to un-sort them again
 * (docs/sequential.md "Serving and policy"). Generic over any graph, built by ULM or uploaded, whose outputs all come
 * from one TopK node (directly or through Identity nodes) along the last axis; any other graph is not derived and keeps
 * the k = all path. Pure protobuf: no ONNX Runtime here.
 */
public final class ScoresGraph {

    /** A derived graph, or why the graph does not fit. */
    public record Derivation(Optional<OnnxMl.ModelProto> model, String output, String reason) {

        static Derivation of(OnnxMl.ModelProto model, String output) {
            return new Derivation(Optional.of(model), output, null);
        }

        static Derivation refused(String reason) {
            return new Derivation(Optional.empty(), null, reason);
        }
    }

    private static final String TOP_K = "TopK";
    private static final String IDENTITY = "Identity";

    private ScoresGraph() {
    }

    /** The scores graph of {@code model}, or the reason it has none. */
    public static Derivation derive(OnnxMl.ModelProto model) {
        OnnxMl.GraphProto graph = model.getGraph();
        if (graph.getOutputCount() == 0) {
            return Derivation.refused("the graph has no outputs");
        }
        Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (node.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0)) {
                return Derivation.refused("node '" + node.getName() + "' (" + node.getOpType() + ") holds a subgraph");
            }
            node.getOutputList().forEach(out -> producer.put(out, node));
        }
        OnnxMl.NodeProto topK = null;
        for (OnnxMl.ValueInfoProto output : graph.getOutputList()) {
            OnnxMl.NodeProto from = throughIdentities(output.getName(), producer);
            if (from == null || !TOP_K.equals(from.getOpType()) || !isDefaultDomain(from)) {
                return Derivation.refused("output '" + output.getName() + "' does not come from a TopK node"
                        + (from == null ? "" : " (it comes from " + from.getOpType() + ")"));
            }
            if (topK != null && topK != from) {
                return Derivation.refused("the outputs come from more than one TopK node");
            }
            topK = from;
        }
        long axis = topK.getAttributeList().stream().filter(a -> a.getName().equals("axis")).mapToLong(OnnxMl.AttributeProto::getI)
                .findFirst().orElse(-1);
        if (axis != -1 && axis != 1) {
            return Derivation.refused("the TopK selects along axis " + axis + ", not the items' axis (-1)");
        }
        String scores = topK.getInput(0);
        if (!producer.containsKey(scores)) {
            return Derivation.refused("the TopK's scores '" + scores + "' are not computed by the graph");
        }
        return Derivation.of(model.toBuilder().setGraph(pruned(graph, scores, valueType(graph, topK, producer))).build(), scores);
    }

    /** The node a value comes from, past any Identity nodes; null for a graph input or initializer. */
    private static OnnxMl.NodeProto throughIdentities(String value, Map<String, OnnxMl.NodeProto> producer) {
        OnnxMl.NodeProto node = producer.get(value);
        Set<OnnxMl.NodeProto> visited = new HashSet<>();
        while (node != null && IDENTITY.equals(node.getOpType()) && isDefaultDomain(node) && visited.add(node)) {
            node = producer.get(node.getInput(0));
        }
        return node;
    }

    private static boolean isDefaultDomain(OnnxMl.NodeProto node) {
        return node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
    }

    /**
     * The element type of the TopK's values: from the graph output it feeds (through identities), else from a
     * value_info of its input, else FLOAT (the recommender contracts). The shape is left to ONNX Runtime's inference.
     */
    private static OnnxMl.TypeProto valueType(OnnxMl.GraphProto graph, OnnxMl.NodeProto topK, Map<String, OnnxMl.NodeProto> producer) {
        int elemType = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
        for (OnnxMl.ValueInfoProto info : graph.getValueInfoList()) {
            if (info.getName().equals(topK.getInput(0)) && info.getType().hasTensorType()) {
                elemType = info.getType().getTensorType().getElemType();
            }
        }
        for (OnnxMl.ValueInfoProto output : graph.getOutputList()) {
            if (valuesOf(output.getName(), producer, topK) && output.getType().hasTensorType()) {
                elemType = output.getType().getTensorType().getElemType();
            }
        }
        return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType)).build();
    }

    /** Whether a graph output is the TopK's first output (its values), past identities. */
    private static boolean valuesOf(String output, Map<String, OnnxMl.NodeProto> producer, OnnxMl.NodeProto topK) {
        String value = output;
        OnnxMl.NodeProto node = producer.get(value);
        while (node != null && node != topK && IDENTITY.equals(node.getOpType())) {
            value = node.getInput(0);
            node = producer.get(value);
        }
        return node == topK && topK.getOutput(0).equals(value);
    }

    /**
     * The graph keeping only what {@code output} needs: nodes (the list stays in its topological order), inputs,
     * initializers and value infos; {@code output} becomes the only graph output.
     */
    private static OnnxMl.GraphProto pruned(OnnxMl.GraphProto graph, String output, OnnxMl.TypeProto type) {
        Set<String> needed = new HashSet<>(List.of(output));
        List<OnnxMl.NodeProto> nodes = graph.getNodeList();
        boolean[] keep = new boolean[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (nodes.get(i).getOutputList().stream().anyMatch(needed::contains)) {
                keep[i] = true;
                nodes.get(i).getInputList().stream().filter(in -> !in.isEmpty()).forEach(needed::add);
            }
        }
        OnnxMl.GraphProto.Builder derived = graph.toBuilder().clearNode().clearInput().clearOutput().clearInitializer()
                .clearSparseInitializer().clearValueInfo();
        for (int i = 0; i < nodes.size(); i++) {
            if (keep[i]) {
                derived.addNode(nodes.get(i));
            }
        }
        graph.getInputList().stream().filter(v -> needed.contains(v.getName())).forEach(derived::addInput);
        graph.getInitializerList().stream().filter(t -> needed.contains(t.getName())).forEach(derived::addInitializer);
        graph.getSparseInitializerList().stream().filter(t -> needed.contains(t.getValues().getName())).forEach(derived::addSparseInitializer);
        graph.getValueInfoList().stream().filter(v -> needed.contains(v.getName()) && !v.getName().equals(output)).forEach(derived::addValueInfo);
        return derived.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(output).setType(type)).build();
    }
}
