package io.ulm.model.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.ulm.model.sequential.SasRecSettings;
import io.ulm.model.sequential.SasRecWeights;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Exports a trained SASRec network as an ONNX inference graph (docs/sequential.md, "ONNX contract"): the forward pass
 * of {@code io.ulm.model.sequential.SasRecNetwork} without dropout, rebuilt node by node from the trained weights,
 * then the scores of every item from the last position, the seen-item penalty and TopK:
 * <pre>
 *   history INT64 [N, L] (item indexes, oldest first, left-padded with -1), seen_mask FLOAT [N, items], k INT64 [1]
 *   tokens = history + 1;  x = Gather(item_embedding, tokens) · √d + position_embedding;  x ·= (tokens ≠ 0)
 *   blocks: x += attention(LayerNorm(x)) (causal, padded keys masked);  x += FFN(LayerNorm(x));  x ·= (tokens ≠ 0)
 *   scores = LayerNorm(x)[:, L − 1] · item_tableᵀ − seen_mask · 1e9;  (scores, items) = TopK(scores, k)
 * </pre>
 * Built with Tribuo's ONNXContext like {@link MfOnnxExporter}; the history input is retyped to INT64 afterwards
 * (ONNXContext only makes float inputs). Default-domain opset 17 (LayerNormalization), IR 8.
 */
public final class SasRecOnnxExporter {

    public static final String HISTORY = "history";
    /** Metadata: the item ids of the graph's indexes, newline-separated, and the history length. */
    public static final String ITEM_IDS = MfOnnxExporter.ITEM_IDS;
    public static final String MAX_LENGTH = "ulm.max_length";
    /** The attention mask value of the training network: future and padded keys get weight exp(-1e9) = 0. */
    static final float MASKED = -1e9f;
    static final float NORM_EPSILON = 1e-6f;

    private final ONNXContext context = new ONNXContext();
    private final SasRecWeights weights;
    private final SasRecSettings s;
    private ONNXRef<?> keep;
    private ONNXRef<?> bias;

    private SasRecOnnxExporter(SasRecWeights weights) {
        this.weights = weights;
        this.s = weights.settings();
    }

    /** The model; {@code itemIds} (index order) go into the metadata, as in the factorisation export. */
    public static OnnxMl.ModelProto export(SasRecWeights weights, List<String> itemIds) {
        if (itemIds.size() != weights.items()) {
            throw new IllegalArgumentException(itemIds.size() + " item ids for a network of " + weights.items() + " items");
        }
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(MfOnnxExporter.IR_VERSION)
                .setProducerName("ulm")
                .setDomain("io.ulm.sequential")
                .setDocString("SASRec next-item recommender; contract in docs/sequential.md")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(RecsysOperators.OPSET_LAYER_NORM))
                .addMetadataProps(metadata(ITEM_IDS, String.join("\n", itemIds)))
                .addMetadataProps(metadata(MAX_LENGTH, String.valueOf(weights.settings().maxLength())))
                .setGraph(new SasRecOnnxExporter(weights).graph())
                .build();
    }

    private OnnxMl.GraphProto graph() {
        int items = weights.items();
        int length = s.maxLength();
        context.setName("sasrec_topk");
        ONNXPlaceholder history = context.floatInput(HISTORY, length);
        ONNXPlaceholder mask = context.floatInput(MfOnnxExporter.SEEN_MASK, items);
        ONNXPlaceholder k = context.floatInput(MfOnnxExporter.K, 1);
        ONNXPlaceholder scoresOut = context.floatOutput(MfOnnxExporter.SCORES, 1);
        ONNXPlaceholder itemsOut = context.floatOutput(MfOnnxExporter.ITEMS, 1);

        ONNXNode tokens = history.apply(ONNXOperators.ADD, context.constant("one", 1L));
        ONNXNode padding = tokens.apply(RecsysOperators.EQUAL, context.constant("zero", 0L))
                .apply(ONNXOperators.CAST, Map.of("to", DataType.FLOAT.getNumber()));
        keep = context.constant("one_f", 1f).apply(ONNXOperators.SUB, padding)
                .apply(ONNXOperators.UNSQUEEZE, context.array("last_axis", new long[]{-1}));
        bias = padding.apply(ONNXOperators.MUL, context.constant("masked", MASKED))
                .apply(ONNXOperators.UNSQUEEZE, context.array("head_and_query_axes", new long[]{1, 2}))
                .apply(ONNXOperators.ADD, tensor("causal", causal(length), length, length));

        ONNXRef<?> x = tensor("item_embedding").apply(ONNXOperators.GATHER, tokens, Map.of("axis", 0))
                .apply(ONNXOperators.MUL, context.constant("sqrt_hidden", (float) Math.sqrt(s.hidden())))
                .apply(ONNXOperators.ADD, tensor("position_embedding"))
                .apply(ONNXOperators.MUL, keep);
        for (int b = 0; b < s.blocks(); b++) {
            x = block(x, "block" + b + ".");
        }
        ONNXNode last = norm(x, "final_norm").apply(ONNXOperators.GATHER, context.constant("last_position", (long) (length - 1)), Map.of("axis", 1));
        ONNXNode scores = last.apply(RecsysOperators.MATMUL, tensor("item_table_t", itemTableTransposed(), s.hidden(), items))
                .apply(ONNXOperators.SUB, mask.apply(ONNXOperators.MUL, context.constant("mask_penalty", MfOnnxExporter.MASK_PENALTY)));
        List<ONNXNode> top = scores.apply(RecsysOperators.TOPK, List.<ONNXRef<?>>of(k), List.of("top_scores", "top_items"),
                Map.of("axis", -1, "largest", 1, "sorted", 1));
        top.get(0).assignTo(scoresOut);
        top.get(1).assignTo(itemsOut);
        return GraphRewrite.of(context.buildGraph())
                .retypeInput(HISTORY, DataType.INT64, "N", length)
                .retypeInput(MfOnnxExporter.SEEN_MASK, DataType.FLOAT, "N", items)
                .retypeInput(MfOnnxExporter.K, DataType.INT64, 1)
                .retypeOutput(MfOnnxExporter.SCORES, DataType.FLOAT, "N", "k")
                .retypeOutput(MfOnnxExporter.ITEMS, DataType.INT64, "N", "k")
                .build();
    }

    /** x + attention(LN(x)), then x + FFN(LN(x)), padding zeroed: the training network's block without dropout. */
    private ONNXRef<?> block(ONNXRef<?> x, String block) {
        int heads = s.heads();
        int size = s.hidden() / heads;
        ONNXNode n = norm(x, block + "attention_norm");
        ONNXInitializer split = context.array(block + "split_heads", new long[]{-1, s.maxLength(), heads, size});
        ONNXNode q = linear(n, block + "query").apply(RecsysOperators.RESHAPE, split).apply(RecsysOperators.TRANSPOSE, Map.of("perm", new int[]{0, 2, 1, 3}));
        ONNXNode kT = linear(n, block + "key").apply(RecsysOperators.RESHAPE, split).apply(RecsysOperators.TRANSPOSE, Map.of("perm", new int[]{0, 2, 3, 1}));
        ONNXNode v = linear(n, block + "value").apply(RecsysOperators.RESHAPE, split).apply(RecsysOperators.TRANSPOSE, Map.of("perm", new int[]{0, 2, 1, 3}));
        ONNXNode attention = q.apply(RecsysOperators.MATMUL, kT)
                .apply(ONNXOperators.DIV, context.constant(block + "sqrt_head", (float) Math.sqrt(size)))
                .apply(ONNXOperators.ADD, bias)
                .apply(ONNXOperators.SOFTMAX, Map.of("axis", -1))
                .apply(RecsysOperators.MATMUL, v)
                .apply(RecsysOperators.TRANSPOSE, Map.of("perm", new int[]{0, 2, 1, 3}))
                .apply(RecsysOperators.RESHAPE, context.array(block + "join_heads", new long[]{-1, s.maxLength(), s.hidden()}));
        ONNXNode afterAttention = x.apply(ONNXOperators.ADD, linear(attention, block + "output"));
        ONNXNode inner = linear(norm(afterAttention, block + "ffn_norm"), block + "ffn1").apply(RecsysOperators.RELU);
        return afterAttention.apply(ONNXOperators.ADD, linear(inner, block + "ffn2")).apply(ONNXOperators.MUL, keep);
    }

    private ONNXNode linear(ONNXRef<?> x, String name) {
        return x.apply(RecsysOperators.MATMUL, tensor(name + ".weight")).apply(ONNXOperators.ADD, tensor(name + ".bias"));
    }

    private ONNXNode norm(ONNXRef<?> x, String name) {
        return context.operation(RecsysOperators.LAYER_NORMALIZATION, List.<ONNXRef<?>>of(x, tensor(name + ".gamma"), tensor(name + ".beta")),
                name, Map.of("axis", -1, "epsilon", NORM_EPSILON));
    }

    private ONNXInitializer tensor(String name) {
        SasRecWeights.Tensor t = weights.get(name);
        return tensor(name, t.values(), Arrays.stream(t.shape()).mapToInt(Math::toIntExact).toArray());
    }

    private ONNXInitializer tensor(String name, float[] values, int... shape) {
        return context.floatTensor(name, Arrays.stream(shape).boxed().toList(), buffer -> buffer.put(values));
    }

    /** The output table: item rows of the shared embedding (row 0 is padding), transposed to [hidden, items]. */
    private float[] itemTableTransposed() {
        float[] e = weights.get("item_embedding").values();
        int d = s.hidden();
        int items = weights.items();
        float[] t = new float[d * items];
        for (int i = 0; i < items; i++) {
            for (int j = 0; j < d; j++) {
                t[j * items + i] = e[(i + 1) * d + j];
            }
        }
        return t;
    }

    private static float[] causal(int length) {
        float[] c = new float[length * length];
        for (int q = 0; q < length; q++) {
            for (int k = q + 1; k < length; k++) {
                c[q * length + k] = MASKED;
            }
        }
        return c;
    }

    private static OnnxMl.StringStringEntryProto metadata(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
