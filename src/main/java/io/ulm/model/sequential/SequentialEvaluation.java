package io.ulm.model.sequential;

import io.ulm.model.recsys.HeldOut;
import io.ulm.model.recsys.Hybrid;
import io.ulm.model.recsys.ImplicitAls;
import io.ulm.model.recsys.Interaction;
import io.ulm.model.recsys.InteractionMatrix;
import io.ulm.model.recsys.ItemKnn;
import io.ulm.model.recsys.LeaveLastOut;
import io.ulm.model.recsys.MetricSet;
import io.ulm.model.recsys.Popularity;
import io.ulm.model.recsys.RankingEvaluator;
import io.ulm.model.recsys.Recommender;
import io.ulm.model.recsys.SampledRanking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SASRec beside popularity, implicit ALS and item-kNN on the same leave-last-out split, under both protocols
 * (docs/evaluation.md): the sampled one (test item against 100 never-touched items, {@link SampledRanking}) and the
 * full ranking over the catalogue ({@link RankingEvaluator}). The baselines are fitted on training + validation; SASRec
 * was trained on the training items with early stopping on the validation items and reads training + validation
 * items as its input sequence (the SASRec paper's protocol), so no model sees a test item. With more than
 * {@link #MAX_USERS} evaluated users, a seeded sample of that many is evaluated (as the SASRec authors' code does).
 *
 * <p>The hybrid of ALS and SASRec ({@link Hybrid}, min-max normalised score blend) is tuned here, where both exist: ALS
 * fitted on the training part and SASRec reading each validation user's training items, weights by {@link Hybrid#tune}
 * on the validation items; then scored on the test items like the others (ALS on training + validation, SASRec from
 * the test input). Both score the same item indexes: {@link Sequences} and {@link LeaveLastOut} index the sorted ids
 * of the same interactions, so SASRec's scores line up with the matrix's items without a mapping.
 */
public record SequentialEvaluation(int users, List<SampledRanking.Result> sampled, List<MetricSet> full, Blend blend) {

    /** Users evaluated at most: bounds SASRec's score matrix (users × items floats) and the evaluation time. */
    public static final int MAX_USERS = 10_000;

    /** The name of the ALS + SASRec blend in the results. */
    public static final String HYBRID = "Hybrid (ALS+SASRec)";

    /** The tuned blend: ALS's and SASRec's weights (summing to 1) and the validation NDCG@10 they reached. */
    public record Blend(double recommender, double sequential, double validationNdcg10, double step) {
    }

    public static SequentialEvaluation of(List<Interaction> interactions, Sequences data, SasRecWeights weights, long seed,
                                          double blendStep, int... ks) {
        LeaveLastOut.Split split = LeaveLastOut.split(interactions);
        Hybrid.Tuned tuned = tuneBlend(split, data, weights, seed, blendStep);
        InteractionMatrix fit = split.trainAndValidation();
        List<HeldOut> test = sample(split.test(), seed);
        ImplicitAls als = ImplicitAls.fit(fit, ImplicitAls.Settings.DEFAULTS);
        SequenceScores sasrec = SequenceScores.of("SASRec", weights, data, data::testInput, test.stream().mapToInt(HeldOut::user).toArray());
        double[] w = tuned.hybrid().weights();
        List<Recommender> models = List.of(Popularity.fit(fit), als, ItemKnn.fit(fit, ItemKnn.Settings.DEFAULTS), sasrec,
                Hybrid.of(HYBRID, List.of(als, sasrec), w));
        Map<HeldOut, int[]> candidates = SampledRanking.negatives(test, InteractionMatrix.of(interactions), SampledRanking.NEGATIVES, seed);
        List<SampledRanking.Result> sampled = new ArrayList<>();
        List<MetricSet> full = new ArrayList<>();
        for (Recommender model : models) {
            for (int k : ks) {
                sampled.add(SampledRanking.evaluate(model, candidates, k));
            }
            full.addAll(RankingEvaluator.evaluate(model, fit, test, ks));
        }
        return new SequentialEvaluation(test.size(), List.copyOf(sampled), List.copyOf(full),
                new Blend(w[0], w[1], tuned.validationNdcg(), blendStep));
    }

    /** [ALS, SASRec] weights by NDCG@10 on the validation items: ALS on the training part, SASRec from the validation input. */
    private static Hybrid.Tuned tuneBlend(LeaveLastOut.Split split, Sequences data, SasRecWeights weights, long seed, double step) {
        List<HeldOut> validation = sample(split.validation(), seed);
        ImplicitAls als = ImplicitAls.fit(split.train(), ImplicitAls.Settings.DEFAULTS);
        SequenceScores sasrec = SequenceScores.of("SASRec", weights, data, data::validationInput,
                validation.stream().mapToInt(HeldOut::user).toArray());
        return Hybrid.tune(List.of(als, sasrec), split.train(), validation, new Hybrid.Settings(step, 10));
    }

    private static List<HeldOut> sample(List<HeldOut> test, long seed) {
        if (test.size() <= MAX_USERS) {
            return test;
        }
        List<HeldOut> shuffled = new ArrayList<>(test);
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
        return shuffled.subList(0, MAX_USERS).stream().sorted(java.util.Comparator.comparingInt(HeldOut::user)).toList();
    }

    public double sampledNdcg(String model, int k) {
        return sampled.stream().filter(r -> r.model().equals(model) && r.k() == k).mapToDouble(SampledRanking.Result::ndcg)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no sampled result for " + model + " at " + k));
    }

    public double fullNdcg(String model, int k) {
        return full.stream().filter(r -> r.model().equals(model) && r.k() == k).mapToDouble(MetricSet::ndcg)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no full-ranking result for " + model + " at " + k));
    }
}
