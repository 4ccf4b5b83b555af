package io.ulm.model.churn;

import java.util.HashMap;
import java.util.Map;

import ml.dmlc.xgboost4j.java.Booster;

/**
 * The linear baseline: logistic regression on standardized features. It is XGBoost's {@code gblinear} booster with
 * {@code binary:logistic} (an L2-penalised logistic regression fitted by coordinate descent) rather than Commons
 * Math, because XGBoost is already a dependency, is maintained, and exports the same way as the trees; Commons Math
 * 3.6.1 has no logistic regression and would need a hand-written likelihood. {@code coord_descent} is used because
 * the default {@code shotgun} updater is not deterministic with more than one thread.
 */
public final class LogisticChurnModel implements ChurnScorer, AutoCloseable {

    /**
     * @param rounds  coordinate-descent passes (default 200, converged on standardized features)
     * @param eta     step size (default 0.5)
     * @param lambda  L2 penalty on the weights (default 1)
     * @param nthread threads (default 1)
     */
    public record Settings(int rounds, double eta, double lambda, int nthread) {
        public static final Settings DEFAULTS = new Settings(200, 0.5, 1, 1);

        Map<String, Object> params() {
            Map<String, Object> p = new HashMap<>();
            p.put("objective", "binary:logistic");
            p.put("booster", "gblinear");
            p.put("updater", "coord_descent");
            p.put("feature_selector", "cyclic");
            p.put("eta", eta);
            p.put("lambda", lambda);
            p.put("nthread", nthread);
            p.put("verbosity", 0);
            return p;
        }
    }

    private final Booster booster;
    private final Standardizer standardizer;

    private LogisticChurnModel(Booster booster, Standardizer standardizer) {
        this.booster = booster;
        this.standardizer = standardizer;
    }

    public static LogisticChurnModel train(ChurnDataset data, Settings settings) {
        Standardizer standardizer = Standardizer.fit(data.features());
        Booster booster = XgbSupport.train(standardizer.apply(data.flatFeatures()), data.labels(), settings.params(),
                settings.rounds());
        return new LogisticChurnModel(booster, standardizer);
    }

    @Override
    public double[] score(ChurnDataset data) {
        return predict(data.flatFeatures(), data.size());
    }

    /** P(churn) for raw row-major features (NaN = missing); standardization is part of the model. */
    public double[] predict(float[] flat, int rows) {
        return XgbSupport.predict(booster, standardizer.apply(flat), rows);
    }

    public Standardizer standardizer() {
        return standardizer;
    }

    public byte[] modelJson() {
        return XgbSupport.json(booster);
    }

    /** Frees the booster's native memory (a long-running service trains again and again). */
    @Override
    public void close() {
        booster.dispose();
    }
}
