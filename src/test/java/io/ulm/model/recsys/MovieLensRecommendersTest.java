package io.ulm.model.recsys;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The recommenders on MovieLens latest-small, leave-last-out; prints the metrics table for docs/evaluation.md. */
class MovieLensRecommendersTest {

    private static final int[] CUT_OFFS = {10, 20};

    private static LeaveLastOut.Split split;

    @BeforeAll
    static void load() throws Exception {
        split = LeaveLastOut.split(MovieLens.ratings());
    }

    @Test
    void personalisedModelsBeatPopularity() {
        InteractionMatrix fit = split.trainAndValidation();
        List<MetricSet> results = new ArrayList<>();
        results.addAll(timed(Popularity.fit(fit)));
        long start = System.nanoTime();
        ImplicitAls als = ImplicitAls.fit(fit, ImplicitAls.Settings.DEFAULTS);
        System.out.printf("ALS fit %.1f s%n", (System.nanoTime() - start) / 1e9);
        results.addAll(timed(als));
        start = System.nanoTime();
        ItemKnn knn = ItemKnn.fit(fit, ItemKnn.Settings.DEFAULTS);
        System.out.printf("ItemKNN fit %.1f s%n", (System.nanoTime() - start) / 1e9);
        results.addAll(timed(knn));
        System.out.println(MetricSet.TABLE_HEADER);
        results.forEach(r -> System.out.println(r.tableRow()));
    }

    private static List<MetricSet> timed(Recommender model) {
        return RankingEvaluator.evaluate(model, split.trainAndValidation(), split.test(), CUT_OFFS);
    }
}
