package io.ulm.model.churn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the ONNX export needs from XGBoost's JSON model ({@code Booster.toByteArray("json")}): the trees as XGBoost
 * stores them (parallel arrays; for a leaf, {@code split_conditions} holds the leaf value), the gblinear weights,
 * and base_score. XGBoost 3.x writes base_score as a bracketed vector string such as "[4.566E-1]"; it is a
 * probability for binary:logistic, so the model's base margin is its log-odds.
 */
record XgbJsonModel(double baseScore, List<Tree> trees, double[] linearWeights) {

    /** One tree; node i is a leaf when {@code left[i] == -1}. */
    record Tree(int[] left, int[] right, int[] feature, float[] condition, boolean[] defaultLeft) {
        boolean leaf(int node) {
            return left[node] == -1;
        }
    }

    static XgbJsonModel parse(byte[] json) {
        try {
            JsonNode learner = new ObjectMapper().readTree(json).path("learner");
            double baseScore = Double.parseDouble(learner.path("learner_model_param").path("base_score").asText()
                    .replace("[", "").replace("]", "").strip());
            JsonNode model = learner.path("gradient_booster").path("model");
            List<Tree> trees = new ArrayList<>();
            for (JsonNode tree : model.path("trees")) {
                trees.add(tree(tree));
            }
            double[] weights = null;
            if (model.has("weights")) {
                weights = new double[model.path("weights").size()];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = model.path("weights").get(i).asDouble();
                }
            }
            return new XgbJsonModel(baseScore, List.copyOf(trees), weights);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an XGBoost JSON model", e);
        }
    }

    /** ln(base_score / (1 − base_score)). */
    double baseMargin() {
        return Math.log(baseScore / (1 - baseScore));
    }

    private static Tree tree(JsonNode tree) {
        JsonNode left = tree.path("left_children");
        int n = left.size();
        int[] l = new int[n];
        int[] r = new int[n];
        int[] f = new int[n];
        float[] c = new float[n];
        boolean[] d = new boolean[n];
        for (int i = 0; i < n; i++) {
            l[i] = left.get(i).asInt();
            r[i] = tree.path("right_children").get(i).asInt();
            f[i] = tree.path("split_indices").get(i).asInt();
            c[i] = (float) tree.path("split_conditions").get(i).asDouble();
            JsonNode dl = tree.path("default_left").get(i);
            d[i] = dl.isBoolean() ? dl.asBoolean() : dl.asInt() != 0;
        }
        return new Tree(l, r, f, c, d);
    }
}
