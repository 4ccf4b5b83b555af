package io.ulm.model.churn;

import java.util.HashMap;
import java.util.Map;

import ml.dmlc.xgboost4j.java.Booster;

/**
 * Gradient-boosted trees (XGBoost, {@code binary:logistic}) on the {@link Features} vector; NaN features are
 * XGBoost's missing values. Training is deterministic: fixed seed, {@code hist} and one thread by default (more
 * threads change floating-point summation order in histogram building).
 */
public final class XgbChurnModel implements ChurnScorer, AutoCloseable {

    /**
     * @param rounds          boosting rounds (default 300)
     * @param eta             learning rate (default 0.05: small steps, 300 rounds)
     * @param maxDepth        tree depth (default 4: interactions of up to 4 features, little overfitting on ~3k users)
     * @param minChildWeight  minimum hessian per leaf (default 5: no leaf for a handful of users)
     * @param subsample       row share per tree (default 0.8, seeded)
     * @param colsample       feature share per tree (default 0.8, seeded)
     * @param lambda          L2 on leaf weights (default 1, XGBoost's)
     * @param nthread         threads (default 1, deterministic)
     * @param seed            random seed (default 42)
     */
    public record Settings(int rounds, double eta, int maxDepth, double minChildWeight, double subsample,
                           double colsample, double lambda, int nthread, long seed) {
        public static final Settings DEFAULTS = new Settings(300, 0.05, 4, 5, 0.8, 0.8, 1, 1, 42);

        Map<String, Object> params() {
            Map<String, Object> p = new HashMap<>();
            p.put("objective", "binary:logistic");
            p.put("booster", "gbtree");
            p.put("tree_method", "hist");
            p.put("eta", eta);
            p.put("max_depth", maxDepth);
            p.put("min_child_weight", minChildWeight);
            p.put("subsample", subsample);
            p.put("colsample_bytree", colsample);
            p.put("lambda", lambda);
            p.put("nthread", nthread);
            p.put("seed", seed);
            p.put("verbosity", 0);
            return p;
        }
    }

    private final Booster booster;

    private XgbChurnModel(Booster booster) {
        this.booster = booster;
    }

    public static XgbChurnModel train(ChurnDataset data, Settings settings) {
        return new XgbChurnModel(XgbSupport.train(data.flatFeatures(), data.labels(), settings.params(), settings.rounds()));
    }

    @Override
    public double[] score(ChurnDataset data) {
        return predict(data.flatFeatures(), data.size());
    }

    /** P(churn) for row-major features ({@link Features#COUNT} per row, NaN = missing). */
    public double[] predict(float[] flat, int rows) {
        return XgbSupport.predict(booster, flat, rows);
    }

    /** XGBoost's JSON model (what {@link ChurnOnnxExport} reads). */
    public byte[] modelJson() {
        return XgbSupport.json(booster);
    }

    public Booster booster() {
        return booster;
    }

    /** Frees the booster's native memory (a long-running service trains again and again). */
    @Override
    public void close() {
        booster.dispose();
    }
}
