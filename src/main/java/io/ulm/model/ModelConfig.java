package io.ulm.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** Serving and training of models ({@code ulm.models.*}; environment {@code ULM_MODELS_*}); docs/models.md. */
@ConfigMapping(prefix = "ulm.models")
public interface ModelConfig {

    /** {@code cpu}, or {@code cuda}: the CUDA provider when present (the onnxruntime_gpu build and CUDA 12), else CPU with a log line. */
    @WithDefault("cpu")
    String executionProvider();

    /** CUDA device id when the CUDA provider is used. */
    @WithDefault("0")
    int cudaDevice();

    /** How often a node checks whether another node activated a different model (hot swap across the cluster). */
    @WithDefault("10s")
    String refreshEvery();

    /** A replaced session is closed this long after the swap, when requests still running on it are done. */
    @WithDefault("PT30S")
    Duration closeReplacedAfter();

    Batching batching();

    Recommendations recommendations();

    Churn churn();

    Sequential sequential();

    /**
     * The sequential recommender (SASRec, io.ulm.model.sequential; docs/sequential.md): its training hyper-parameters
     * (environment {@code ULM_MODELS_SEQUENTIAL_*}) and whom it serves.
     */
    interface Sequential {
        /** Self-attention blocks. */
        @WithDefault("2")
        int blocks();

        /** Attention heads; must divide {@code hidden}. */
        @WithDefault("1")
        int heads();

        /** Embedding and hidden size. */
        @WithDefault("50")
        int hidden();

        /** The most recent items a user's sequence keeps (also the served graph's history length). */
        @WithDefault("50")
        int maxLength();

        /** Dropout on embeddings, attention weights and block outputs while training. */
        @WithDefault("0.2")
        double dropout();

        /** Sampled negative items per position. */
        @WithDefault("1")
        int negatives();

        /** Passes over the training windows at most (early stopping usually ends sooner). */
        @WithDefault("200")
        int epochs();

        /** Adam's learning rate (the paper's 0.001 needs several times more epochs on a few thousand users). */
        @WithDefault("0.005")
        double learningRate();

        /** Training windows per gradient step. */
        @WithDefault("128")
        int batchSize();

        /** Validation checks without improvement before training stops. */
        @WithDefault("5")
        int patience();

        /** Epochs between two validation checks (sampled NDCG@10 of the validation items). */
        @WithDefault("5")
        int validateEvery();

        /** Seed of the initial weights, window order, negatives, dropout and the sampled evaluation. */
        @WithDefault("42")
        long seed();

        /** Engaged users with at least this many items the sequential model knows are served by it. */
        @WithDefault("5")
        int minHistory();

        /**
         * Grid step of the ALS + SASRec blend's weights tuned on the validation items at training time (0.1: eleven
         * blends from ALS alone to SASRec alone); the weights go into the model's mapping and decide what is served.
         */
        @WithDefault("0.1")
        double blendStep();

        /**
         * The blend is served only while both models together know at most this many items: it reads both graphs'
         * scores of every item (items × batch floats per call); above it the sequential model is served alone.
         */
        @WithDefault("100000")
        int blendMaxItems();

        default io.ulm.model.sequential.SasRecSettings settings() {
            return new io.ulm.model.sequential.SasRecSettings(blocks(), heads(), hidden(), maxLength(), dropout(), negatives(), epochs(),
                    learningRate(), batchSize(), patience(), validateEvery(), seed());
        }
    }

    /** Churn training and scoring. */
    interface Churn {
        /** Label window H: churned = no activity in the H after the cutoff (event time). */
        @WithDefault("P90D")
        Duration horizon();

        /**
         * A score at or above this raises ChurnRiskRaised on the user (the win-back trigger). 0.5: the model finds her
         * more likely to churn than not (its probabilities are fitted by log-loss, so roughly calibrated).
         */
        @WithDefault("0.5")
        double threshold();

        /** Share of the training cutoff's users held out to choose thresholds and the served model. */
        @WithDefault("0.2")
        double validationShare();

        /** Seed of the validation hold-out. */
        @WithDefault("42")
        long seed();

        /** How often the scoring job looks whether the watermark moved ({@code off} disables it). */
        @WithDefault("5m")
        String scoreEvery();

        /** Users per scoring transaction (ChurnRiskRaised commands). */
        @WithDefault("500")
        int batch();
    }

    /** Micro-batching of concurrent recommendation requests into one ONNX Runtime call. */
    interface Batching {
        /** Requests per ONNX Runtime call at most. */
        @WithDefault("64")
        int maxSize();

        /** How long the first request of a batch waits for others (0: run at once with whatever is queued). */
        @WithDefault("PT0.0005S")
        Duration maxWait();
    }

    interface Recommendations {
        @WithDefault("10")
        int defaultK();

        @WithDefault("100")
        int maxK();

        /** Users with fewer distinct items than this get the popular strategy (too little history to personalise). */
        @WithDefault("3")
        int minHistory();

        /** How often the popularity lists (overall and per category) are recomputed from the profile projection. */
        @WithDefault("60s")
        String popularRefresh();

        /**
         * Catalogue categories never recommended: lines that are not merchandise (postage, bank charges …). Their items
         * are left out of the recommenders' training and evaluation, masked from model answers and dropped from the
         * popular lists and similar items.
         */
        @WithDefault("fees")
        List<String> excludedCategories();
    }
}
