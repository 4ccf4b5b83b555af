package io.ulm.model.sequential;

/**
 * Hyper-parameters of the self-attentive sequential recommender (Kang &amp; McAuley 2018). The service takes them from
 * {@code ulm.models.sequential.*} (docs/sequential.md); {@link #DEFAULTS} are the values documented there.
 *
 * @param blocks        self-attention blocks (attention + point-wise feed-forward)
 * @param heads         attention heads; must divide {@code hidden}
 * @param hidden        embedding and hidden size
 * @param maxLength     the most recent items a sequence keeps (positions learned)
 * @param dropout       dropout rate on embeddings, attention weights and block outputs while training
 * @param negatives     sampled negative items per position (binary cross-entropy against each)
 * @param epochs        passes over the training windows at most
 * @param learningRate  Adam's learning rate
 * @param batchSize     training windows per gradient step
 * @param patience      validation checks without improvement before training stops (early stopping)
 * @param validateEvery epochs between two validation checks
 * @param seed          seed of initial weights, window order, negatives and PyTorch's dropout
 */
public record SasRecSettings(int blocks, int heads, int hidden, int maxLength, double dropout, int negatives, int epochs,
                             double learningRate, int batchSize, int patience, int validateEvery, long seed) {

    /**
     * 2 blocks, 1 head, hidden 50, length 50, dropout 0.2 as in the paper; learning rate 0.005 instead of 0.001: with a
     * few thousand users (the shared data sets) the paper's rate needs several times more epochs for the same quality.
     */
    public static final SasRecSettings DEFAULTS = new SasRecSettings(2, 1, 50, 50, 0.2, 1, 200, 0.005, 128, 5, 5, 42);

    public SasRecSettings {
        require(blocks >= 1, "blocks must be at least 1");
        require(heads >= 1 && hidden % heads == 0, "heads must divide hidden");
        require(maxLength >= 2, "max-length must be at least 2");
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)");
        require(negatives >= 1, "negatives must be at least 1");
        require(epochs >= 1 && batchSize >= 1 && patience >= 1 && validateEvery >= 1, "epochs, batch size, patience and validate-every must be positive");
        require(learningRate > 0, "learning rate must be positive");
    }

    public SasRecSettings withEpochs(int epochs) {
        return new SasRecSettings(blocks, heads, hidden, maxLength, dropout, negatives, epochs, learningRate, batchSize, patience, validateEvery, seed);
    }

    public SasRecSettings withSeed(long seed) {
        return new SasRecSettings(blocks, heads, hidden, maxLength, dropout, negatives, epochs, learningRate, batchSize, patience, validateEvery, seed);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
