package io.ulm.model.churn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports the churn models as ONNX (see "Churn ONNX contract" in docs/models.md): input {@code features} FLOAT
 * [N, {@link Features#COUNT}] in {@link Features#NAMES} order (NaN = missing), output {@code probability} FLOAT [N] =
 * P(churn). Graphs are built with Tribuo's ONNXContext and wrapped here in a model with IR 8, opset 13 and
 * ai.onnx.ml 3.
 */
public final class ChurnOnnxExport {

    public static final String INPUT = "features";
    public static final String OUTPUT = "probability";
    static final int IR_VERSION = 8;
    static final int OPSET = 13;

    private ChurnOnnxExport() {
    }

    /** The trees as one ai.onnx.ml TreeEnsembleClassifier (LOGISTIC), then column 1 (churn) of its probabilities. */
    public static byte[] trees(XgbChurnModel model) {
        XgbJsonModel json = XgbJsonModel.parse(model.modelJson());
        ONNXContext ctx = new ONNXContext();
        ONNXPlaceholder input = ctx.floatInput(INPUT, Features.COUNT);
        List<ONNXNode> outputs = ctx.operation(OnnxMlOps.TREE_ENSEMBLE_CLASSIFIER, List.of(input),
                List.of("label", "probabilities"), TreeAttributes.of(json));
        return model(ctx, "churn-xgboost-trees", column(ctx, outputs.get(1), 1));
    }

    /** Imputer (NaN → training mean) → Scaler (z-score) → Gemm (weights, bias + base margin) → Sigmoid → [N]. */
    public static byte[] logistic(LogisticChurnModel model) {
        XgbJsonModel json = XgbJsonModel.parse(model.modelJson());
        double[] w = json.linearWeights();
        Standardizer s = model.standardizer();
        ONNXContext ctx = new ONNXContext();
        ONNXPlaceholder input = ctx.floatInput(INPUT, Features.COUNT);
        ONNXNode imputed = input.apply(OnnxMlOps.IMPUTER,
                Map.of("imputed_value_floats", s.mean(), "replaced_value_float", Float.NaN));
        ONNXNode scaled = imputed.apply(OnnxMlOps.SCALER, Map.of("offset", s.mean(), "scale", s.scale()));
        float[] weights = new float[Features.COUNT];
        for (int j = 0; j < weights.length; j++) {
            weights[j] = (float) w[j];
        }
        var b = ctx.floatTensor("weights", List.of(Features.COUNT, 1), buffer -> buffer.put(weights));
        var c = ctx.array("bias", new float[] {(float) (w[Features.COUNT] + json.baseMargin())});
        ONNXNode margin = ctx.operation(ONNXOperators.GEMM, List.of(scaled, b, c), "margin");
        return model(ctx, "churn-logistic", column(ctx, margin.apply(ONNXOperators.SIGMOID), 0));
    }

    /** Gathers column {@code index} of a [N, k] tensor: the churn probability [N]. */
    private static ONNXNode column(ONNXContext ctx, ONNXRef<?> matrix, long index) {
        var indices = ctx.constant("column_index", index);
        return ctx.operation(ONNXOperators.GATHER, List.of(matrix, indices), OUTPUT, Map.of("axis", 1));
    }

    /** Wraps the graph; ONNXContext makes names unique, so the result node's output is renamed to the contract's. */
    private static byte[] model(ONNXContext ctx, String name, ONNXNode result) {
        ctx.setName(name);
        OnnxMl.GraphProto.Builder graph = ctx.buildGraph().toBuilder().clearOutput().addOutput(probabilityOutput());
        for (OnnxMl.NodeProto.Builder node : graph.getNodeBuilderList()) {
            for (int i = 0; i < node.getOutputCount(); i++) {
                if (node.getOutput(i).equals(result.getReference())) {
                    node.setOutput(i, OUTPUT);
                }
            }
        }
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("ulm")
                .setGraph(graph)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(OnnxMlOps.DOMAIN).setVersion(OnnxMlOps.VERSION))
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                        .setKey("feature_names").setValue(String.join(",", Features.NAMES)))
                .build().toByteArray();
    }

    private static OnnxMl.ValueInfoProto probabilityOutput() {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")).build();
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(OUTPUT).setType(type).build();
    }

    /** The TreeEnsembleClassifier attributes; Tribuo wants int[] (not long[]) lists and Integer scalars. */
    private static final class TreeAttributes {
        final List<Integer> treeIds = new ArrayList<>();
        final List<Integer> nodeIds = new ArrayList<>();
        final List<Integer> featureIds = new ArrayList<>();
        final List<Integer> trueIds = new ArrayList<>();
        final List<Integer> falseIds = new ArrayList<>();
        final List<Integer> missingTrue = new ArrayList<>();
        final List<String> modes = new ArrayList<>();
        final List<Float> values = new ArrayList<>();
        final List<Integer> leafTree = new ArrayList<>();
        final List<Integer> leafNode = new ArrayList<>();
        final List<Float> leafWeight = new ArrayList<>();

        static Map<String, Object> of(XgbJsonModel json) {
            TreeAttributes a = new TreeAttributes();
            for (int t = 0; t < json.trees().size(); t++) {
                a.add(t, json.trees().get(t));
            }
            return a.toMap((float) json.baseMargin());
        }

        private void add(int treeId, XgbJsonModel.Tree tree) {
            for (int node = 0; node < tree.left().length; node++) {
                boolean leaf = tree.leaf(node);
                treeIds.add(treeId);
                nodeIds.add(node);
                featureIds.add(leaf ? 0 : tree.feature()[node]);
                trueIds.add(leaf ? 0 : tree.left()[node]);      // XGBoost: x < condition goes left ("yes")
                falseIds.add(leaf ? 0 : tree.right()[node]);
                missingTrue.add(!leaf && tree.defaultLeft()[node] ? 1 : 0);
                modes.add(leaf ? "LEAF" : "BRANCH_LT");
                values.add(leaf ? 0f : tree.condition()[node]);
                if (leaf) {
                    leafTree.add(treeId);
                    leafNode.add(node);
                    leafWeight.add(tree.condition()[node]);     // a leaf's split_condition is its value
                }
            }
        }

        private Map<String, Object> toMap(float baseMargin) {
            Map<String, Object> m = new HashMap<>();
            m.put("nodes_treeids", ints(treeIds));
            m.put("nodes_nodeids", ints(nodeIds));
            m.put("nodes_featureids", ints(featureIds));
            m.put("nodes_truenodeids", ints(trueIds));
            m.put("nodes_falsenodeids", ints(falseIds));
            m.put("nodes_missing_value_tracks_true", ints(missingTrue));
            m.put("nodes_modes", modes.toArray(String[]::new));
            m.put("nodes_values", floats(values));
            m.put("class_treeids", ints(leafTree));
            m.put("class_nodeids", ints(leafNode));
            m.put("class_ids", new int[leafTree.size()]);      // one score, for class 1 (churn)
            m.put("class_weights", floats(leafWeight));
            m.put("classlabels_int64s", new int[] {0, 1});
            m.put("base_values", new float[] {baseMargin});
            m.put("post_transform", "LOGISTIC");
            return m;
        }

        private static int[] ints(List<Integer> list) {
            return list.stream().mapToInt(Integer::intValue).toArray();
        }

        private static float[] floats(List<Float> list) {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
            }
            return out;
        }
    }
}
