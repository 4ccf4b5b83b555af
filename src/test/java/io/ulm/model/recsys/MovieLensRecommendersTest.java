package io.ulm.model.recsys;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recommenders on MovieLens latest-small (every rating an interaction, genres as categories), leave-last-out:
 * models are fitted on the training part and the hybrid tuned on the validation items, then everything is refitted
 * on training + validation and scored on the test items. Prints the metrics table for docs/evaluation.md.
 */
class MovieLensRecommendersTest {

    private static final int[] CUT_OFFS = {10, 20};
    private static final int NDCG_AT = 10;

    private static LeaveLastOut.Split split;
    private static Map<String, List<String>> genres;

    @BeforeAll
    static void load() throws Exception {
        split = LeaveLastOut.split(MovieLens.ratings());
        genres = MovieLens.genres();
    }

    @Test
    void personalisedModelsBeatPopularityAndTheHybridIsTunedOnValidationOnly() {
        // tuning: fitted on train, scored on validation
        List<Recommender> tuningModels = fitAll(split.train());
        List<MetricSet> validation = evaluate(tuningModels, split.train(), split.validation());
        Hybrid.Tuned tuned = Hybrid.tune(tuningModels, split.train(), split.validation(), Hybrid.Settings.DEFAULTS);
        MetricSet hybridValidation = evaluate(List.of(tuned.hybrid()), split.train(), split.validation()).get(0);

        // test: refitted on train + validation, the tuned weights kept
        List<Recommender> testModels = fitAll(split.trainAndValidation());
        List<Recommender> withHybrid = new ArrayList<>(testModels);
        withHybrid.add(Hybrid.of(testModels, tuned.hybrid().weights()));
        List<MetricSet> test = evaluate(withHybrid, split.trainAndValidation(), split.test());

        System.out.println("Hybrid weights " + Arrays.toString(tuned.hybrid().weights()) + " over "
                + testModels.stream().map(Recommender::name).toList() + ", validation NDCG@10 " + tuned.validationNdcg());
        print("validation (fitted on train)", validation);
        print("test (fitted on train + validation)", test);

        double popularity = ndcgAt10(test, "Popularity");
        assertThat(ndcgAt10(test, "ALS")).isGreaterThan(popularity);
        assertThat(ndcgAt10(test, "ItemKNN")).isGreaterThan(popularity);
        double bestSingle = validation.stream().filter(m -> m.k() == NDCG_AT).mapToDouble(MetricSet::ndcg).max()
                .orElseThrow();
        assertThat(hybridValidation.ndcg()).isEqualTo(tuned.validationNdcg())
                .isGreaterThanOrEqualTo(bestSingle);
    }

    private static List<Recommender> fitAll(InteractionMatrix fit) {
        List<Function<InteractionMatrix, Recommender>> trainers = List.of(Popularity::fit,
                m -> ImplicitAls.fit(m, ImplicitAls.Settings.DEFAULTS),
                m -> ItemKnn.fit(m, ItemKnn.Settings.DEFAULTS),
                m -> ContentBased.fit(m, ItemFeatures.categories(m.items(), genres)));
        List<Recommender> models = new ArrayList<>();
        for (var trainer : trainers) {
            long start = System.nanoTime();
            Recommender model = trainer.apply(fit);
            System.out.printf("fit %s on %d pairs: %.2f s%n", model.name(), fit.size(), (System.nanoTime() - start) / 1e9);
            models.add(model);
        }
        return models;
    }

    private static List<MetricSet> evaluate(List<Recommender> models, InteractionMatrix seen, List<HeldOut> heldOut) {
        return models.stream().flatMap(m -> RankingEvaluator.evaluate(m, seen, heldOut, CUT_OFFS).stream()).toList();
    }

    private static double ndcgAt10(List<MetricSet> results, String model) {
        return results.stream().filter(m -> m.model().equals(model) && m.k() == NDCG_AT).findFirst().orElseThrow()
                .ndcg();
    }

    private static void print(String title, List<MetricSet> results) {
        System.out.println("\n" + title + "\n" + MetricSet.TABLE_HEADER);
        results.stream().sorted(java.util.Comparator.comparing(MetricSet::k))
                .forEach(r -> System.out.println(r.tableRow()));
    }
}
