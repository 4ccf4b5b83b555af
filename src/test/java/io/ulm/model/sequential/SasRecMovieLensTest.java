package io.ulm.model.sequential;

import io.ulm.model.recsys.Interaction;
import io.ulm.model.recsys.MetricSet;
import io.ulm.model.recsys.MovieLens;
import io.ulm.model.recsys.SampledRanking;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SASRec on MovieLens latest-small beside popularity, ALS and item-kNN on the same leave-last-out split, under the
 * sampled protocol (test item against 100 never-touched items) and the full ranking; prints the tables of
 * docs/evaluation.md. CI trains a short run ({@link #CI}: one block, 40 epochs); the documented full run is
 * {@code -Dsasrec.full=true} (the service's defaults: two blocks, up to 200 epochs with early stopping).
 */
class SasRecMovieLensTest {

    /** Short enough for CI (about a minute of one core), long enough to learn the order in the sequences. */
    static final SasRecSettings CI = new SasRecSettings(1, 1, 50, 50, 0.2, 1, 40, 0.005, 128, 2, 5, 42);

    @Test
    void sasRecBeatsPopularityAndAlsOnNdcgAt10UnderTheSampledProtocol() throws Exception {
        List<Interaction> ratings = MovieLens.ratings();
        Sequences data = Sequences.of(ratings);
        SasRecSettings settings = Boolean.getBoolean("sasrec.full") ? SasRecSettings.DEFAULTS : CI;
        SasRecTraining.Result trained = SasRecTraining.train(data, settings, (epoch, max, loss, ndcg) ->
                System.out.printf(Locale.ROOT, "[sasrec] epoch %d/%d loss %.4f validation NDCG@10 (sampled) %.4f%n", epoch, max, loss, ndcg));
        SequentialEvaluation evaluation = SequentialEvaluation.of(ratings, data, trained.weights(), settings.seed(), 0.1, 10, 20);
        print(settings, trained, evaluation);

        double sasrec = evaluation.sampledNdcg("SASRec", 10);
        assertThat(sasrec).as("SASRec beats popularity, same split and candidates").isGreaterThan(evaluation.sampledNdcg("Popularity", 10));
        assertThat(sasrec).as("SASRec beats ALS, same split and candidates").isGreaterThan(evaluation.sampledNdcg("ALS", 10));
        double better = Math.max(sasrec, evaluation.sampledNdcg("ALS", 10));
        assertThat(evaluation.sampledNdcg(SequentialEvaluation.HYBRID, 10))
                .as("the blend tuned on validation is at least as good as the better of its parts on the test items")
                .isGreaterThanOrEqualTo(better);
    }

    private static void print(SasRecSettings settings, SasRecTraining.Result trained, SequentialEvaluation evaluation) {
        System.out.printf(Locale.ROOT, "[sasrec] %s%n[sasrec] %d epochs run, best %d (validation NDCG@10 %.4f), %.1f s on %s, %d users evaluated%n",
                settings, trained.epochsRun(), trained.bestEpoch(), trained.bestValidationNdcg(), trained.seconds(), trained.device(), evaluation.users());
        SequentialEvaluation.Blend b = evaluation.blend();
        System.out.printf(Locale.ROOT, "[sasrec] blend tuned on validation (step %.2f): ALS %.2f, SASRec %.2f, validation NDCG@10 (full) %.4f%n",
                b.step(), b.recommender(), b.sequential(), b.validationNdcg10());
        System.out.println("| model | K | sampled HR | sampled NDCG | full HR | full NDCG | full MAP | coverage | novelty |");
        for (SampledRanking.Result s : evaluation.sampled()) {
            MetricSet f = evaluation.full().stream().filter(m -> m.model().equals(s.model()) && m.k() == s.k()).findFirst().orElseThrow();
            System.out.printf(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.2f |%n", s.model(), s.k(), s.hr(), s.ndcg(),
                    f.hitRate(), f.ndcg(), f.map(), f.coverage(), f.novelty());
        }
    }
}
