package io.ulm.model.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.ulm.model.recsys.Factors;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Exports a matrix-factorisation recommender (user and item factors) as an ONNX model that scores every item for a
 * batch of users, removes their seen items and returns the top k. The contract (names, shapes, types, id mapping) is
 * in docs/models.md, "Recommender ONNX contract":
 * <pre>
 *   user INT64 [N], seen_mask FLOAT [N, items], k INT64 [1]
 *   scores = Gather(user_factors, user, axis 0) · item_factorsᵀ − seen_mask · MASK_PENALTY
 *   (scores FLOAT [N, k], items INT64 [N, k]) = TopK(scores, k, largest, sorted)
 * </pre>
 * The graph is built with Tribuo's {@link ONNXContext}, which only makes float [batch, d] inputs and outputs and
 * uniquifies names, so the inputs, outputs and initializer names are rewritten in the GraphProto afterwards, and
 * the graph is wrapped in a ModelProto here (ONNXContext builds graphs only).
 */
public final class MfOnnxExporter {

    public static final String USER = "user";
    public static final String SEEN_MASK = "seen_mask";
    public static final String K = "k";
    public static final String SCORES = "scores";
    public static final String ITEMS = "items";
    public static final String USER_FACTORS = "user_factors";
    public static final String ITEM_FACTORS = "item_factors";
    /** Metadata keys holding the ids of the user and item rows, newline-separated, in index order. */
    public static final String USER_IDS = "ulm.user_ids";
    public static final String ITEM_IDS = "ulm.item_ids";
    /**
     * Subtracted from masked items' scores: far above any factor dot product (|score| ≲ 10 for implicit ALS), so
     * masked items rank after every unmasked one, while staying finite (an infinity would turn 0·∞ into NaN).
     */
    public static final float MASK_PENALTY = 1e9f;
    /** IR version 8 is what ONNX Runtime 1.x and opset 13 are checked with on this platform (see NOTES.md). */
    static final long IR_VERSION = 8;

    private MfOnnxExporter() {
    }

    /** The model; user and item ids (index order) go into the metadata so a server can map ids to rows. */
    public static OnnxMl.ModelProto export(Factors users, Factors items, List<String> userIds, List<String> itemIds) {
        if (users.dimension() != items.dimension() || userIds.size() != users.rows() || itemIds.size() != items.rows()) {
            throw new IllegalArgumentException("factor shapes and id lists do not match");
        }
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("ulm")
                .setDomain("io.ulm.recsys")
                .setDocString("Matrix-factorisation top-k recommender; contract in docs/models.md")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(RecsysOperators.OPSET))
                .addMetadataProps(metadata(USER_IDS, String.join("\n", userIds)))
                .addMetadataProps(metadata(ITEM_IDS, String.join("\n", itemIds)))
                .setGraph(graph(users, items))
                .build();
    }

    public static void write(OnnxMl.ModelProto model, Path file) throws IOException {
        Files.write(file, model.toByteArray());
    }

    private static OnnxMl.GraphProto graph(Factors users, Factors items) {
        ONNXContext context = new ONNXContext();
        context.setName("mf_topk");
        ONNXPlaceholder user = context.floatInput(USER, 1);
        ONNXPlaceholder mask = context.floatInput(SEEN_MASK, items.rows());
        ONNXPlaceholder k = context.floatInput(K, 1);
        ONNXPlaceholder scoresOut = context.floatOutput(SCORES, 1);
        ONNXPlaceholder itemsOut = context.floatOutput(ITEMS, 1);
        ONNXInitializer userFactors = factors(context, USER_FACTORS, users);
        ONNXInitializer itemFactors = factors(context, ITEM_FACTORS, items);
        ONNXInitializer penalty = context.constant("mask_penalty", MASK_PENALTY);

        ONNXNode userVectors = userFactors.apply(ONNXOperators.GATHER, user, Map.of("axis", 0));
        ONNXNode itemsByFactor = itemFactors.apply(RecsysOperators.TRANSPOSE, Map.of("perm", new int[]{1, 0}));
        ONNXNode raw = userVectors.apply(RecsysOperators.MATMUL, itemsByFactor);
        ONNXNode masked = raw.apply(ONNXOperators.SUB, mask.apply(ONNXOperators.MUL, penalty));
        List<ONNXNode> top = masked.apply(RecsysOperators.TOPK, List.<ONNXRef<?>>of(k), List.of("top_scores", "top_items"),
                Map.of("axis", -1, "largest", 1, "sorted", 1));
        top.get(0).assignTo(scoresOut);
        top.get(1).assignTo(itemsOut);
        return GraphRewrite.of(context.buildGraph())
                .renameInitializer(userFactors.getReference(), USER_FACTORS)
                .renameInitializer(itemFactors.getReference(), ITEM_FACTORS)
                .retypeInput(USER, DataType.INT64, "N")
                .retypeInput(SEEN_MASK, DataType.FLOAT, "N", items.rows())
                .retypeInput(K, DataType.INT64, 1)
                .retypeOutput(SCORES, DataType.FLOAT, "N", "k")
                .retypeOutput(ITEMS, DataType.INT64, "N", "k")
                .build();
    }

    private static ONNXInitializer factors(ONNXContext context, String name, Factors factors) {
        return context.floatTensor(name, List.of(factors.rows(), factors.dimension()),
                buffer -> buffer.put(factors.values()));
    }

    private static OnnxMl.StringStringEntryProto metadata(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
