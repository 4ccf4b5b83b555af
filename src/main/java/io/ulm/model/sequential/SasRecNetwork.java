package io.ulm.model.sequential;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SASRec network on DJL NDArrays (PyTorch engine), written as a plain forward function over named parameters so
 * that training, evaluation and the ONNX export ({@link SasRecOnnxExport}) follow one definition:
 * <pre>
 *   x = item_embedding[tokens] · √hidden + position_embedding;  dropout;  x ·= not-padding
 *   per block:  x += dropout(attention(LN(x)))  (causal; padded keys masked);  x += dropout(FFN(LN(x)));  x ·= not-padding
 *   h = LN(x);   score(item) = h · item_embedding[item]   (shared input/output embedding)
 * </pre>
 * Pre-norm residual blocks (a variant of the paper's post-norm; it trains stably without warm-up). Results of
 * operations belong to the manager of their first operand, so every operation starts from a per-batch array and
 * nothing temporary is left in the parameters' manager (DJL keeps arrays until their manager closes).
 */
final class SasRecNetwork implements AutoCloseable {

    /** Added to attention logits of future and padded positions: exp underflows to 0, and it stays finite (no NaN). */
    static final float MASKED = -1e9f;
    static final float NORM_EPSILON = 1e-6f;

    private final SasRecSettings settings;
    private final int items;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    private SasRecNetwork(SasRecSettings settings, int items, NDManager manager) {
        this.settings = settings;
        this.items = items;
        this.manager = manager;
    }

    /** Fresh weights ({@link SasRecWeights#initial}). */
    static SasRecNetwork initialise(SasRecSettings s, int items, Device device) {
        return of(SasRecWeights.initial(s, items), device);
    }

    /** A network holding given weights (evaluation, or checking the export against this forward pass). */
    static SasRecNetwork of(SasRecWeights weights, Device device) {
        SasRecNetwork n = new SasRecNetwork(weights.settings(), weights.items(), NDManager.newBaseManager(device));
        weights.tensors().forEach((name, t) -> n.add(name, t.values(), t.shape()));
        return n;
    }

    SasRecSettings settings() {
        return settings;
    }

    int items() {
        return items;
    }

    NDManager manager() {
        return manager;
    }

    Map<String, NDArray> parameters() {
        return parameters;
    }

    /** The weights as they are now, copied out of the engine. */
    SasRecWeights weights() {
        Map<String, SasRecWeights.Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach((name, p) -> tensors.put(name, new SasRecWeights.Tensor(p.getShape().getShape(), p.toFloatArray())));
        return new SasRecWeights(settings, items, tensors);
    }

    /** Hidden states [B, L, hidden] of token sequences [B, L] (int64, left-padded with 0). */
    NDArray hidden(NDArray tokens, boolean training) {
        int d = settings.hidden();
        NDArray keep = tokens.neq(0).toType(DataType.FLOAT32, false).expandDims(-1);
        NDArray x = Embedding.embedding(tokens, p("item_embedding"), SparseFormat.DENSE).singletonOrThrow()
                .mul((float) Math.sqrt(d)).add(p("position_embedding"));
        x = dropout(x, training).mul(keep);
        NDArray bias = attentionBias(tokens);
        for (int b = 0; b < settings.blocks(); b++) {
            String block = "block" + b + ".";
            x = x.add(dropout(attention(norm(x, block + "attention_norm"), bias, block, training), training));
            NDArray f = norm(x, block + "ffn_norm");
            NDArray inner = dropout(Activation.relu(linear(f, block + "ffn1")), training);
            x = x.add(dropout(linear(inner, block + "ffn2"), training)).mul(keep);
        }
        return norm(x, "final_norm");
    }

    /** Scores of every item (without the padding row) from the last position: [B, items]. No gradients. */
    NDArray scoreAll(NDArray tokens) {
        NDArray h = hidden(tokens, false).get(":, -1, :");
        NDArray table = p("item_embedding").get("1:, :");
        table.attach(tokens.getManager());   // a view of the parameter, owned by the caller's manager
        return h.matMul(table.transpose());
    }

    /**
     * Causal attention over heads: query, key and value from the normalised input; logits / √head-size plus the
     * mask bias; softmax; dropout on the weights; heads joined; output projection.
     */
    private NDArray attention(NDArray x, NDArray bias, String block, boolean training) {
        long batch = x.getShape().get(0);
        int length = settings.maxLength();
        int heads = settings.heads();
        int size = settings.hidden() / heads;
        NDArray q = heads(linear(x, block + "query"), batch, heads, size);
        NDArray k = heads(linear(x, block + "key"), batch, heads, size);
        NDArray v = heads(linear(x, block + "value"), batch, heads, size);
        NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(size)).add(bias).softmax(-1);
        NDArray joined = dropout(weights, training).matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, settings.hidden());
        return linear(joined, block + "output");
    }

    private static NDArray heads(NDArray x, long batch, int heads, int size) {
        return x.reshape(batch, -1, heads, size).transpose(0, 2, 1, 3);
    }

    /** [B, 1, L, L]: MASKED where the key is later than the query or is padding, else 0. */
    private NDArray attentionBias(NDArray tokens) {
        int length = settings.maxLength();
        float[] causal = new float[length * length];
        for (int q = 0; q < length; q++) {
            for (int k = q + 1; k < length; k++) {
                causal[q * length + k] = MASKED;
            }
        }
        NDArray padded = tokens.eq(0).toType(DataType.FLOAT32, false).mul(MASKED).expandDims(1).expandDims(1);
        return padded.add(tokens.getManager().create(causal, new Shape(length, length)));
    }

    private NDArray linear(NDArray x, String name) {
        return x.matMul(p(name + ".weight")).add(p(name + ".bias"));
    }

    private NDArray norm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(settings.hidden()), p(name + ".gamma"), p(name + ".beta"), NORM_EPSILON).singletonOrThrow();
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && settings.dropout() > 0 ? Dropout.dropout(x, (float) settings.dropout(), true).singletonOrThrow() : x;
    }

    NDArray p(String name) {
        NDArray p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return p;
    }

    /**
     * A parameter in memory PyTorch allocated itself (64-byte aligned). An array made from Java data stays in a direct
     * buffer aligned however malloc left it, and MKL's matrix kernels may add in another order at another alignment:
     * the same seed would then not give the same weights on every run (seen once in CI, never on the dev machine).
     */
    private void add(String name, float[] values, long... shape) {
        NDArray array;
        try (NDArray fromJava = manager.create(values, new Shape(shape))) {
            array = fromJava.duplicate();
        }
        array.setName(name);
        array.setRequiresGradient(true);
        parameters.put(name, array);
    }

    @Override
    public void close() {
        manager.close();
    }
}
