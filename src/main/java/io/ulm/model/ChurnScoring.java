package io.ulm.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.model.churn.BgNbd;
import io.ulm.model.churn.Features;
import io.ulm.model.churn.GammaGamma;
import io.ulm.model.churn.RepeatPurchases;
import io.ulm.model.churn.UserHistory;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores users with the active churn model at the event-time watermark: the graph's probability, BG/NBD P(alive)
 * and expected purchases in the next horizon, Gamma-Gamma CLV, and (for one user) the contributing features.
 * Batch scoring and the ChurnRiskRaised trigger live in {@link ChurnScoringJob}.
 */
@ApplicationScoped
public class ChurnScoring {

    /** Contributing features listed by the churn-risk endpoint. */
    static final int TOP_CONTRIBUTIONS = 5;

    /** A user's churn risk at {@code at}. */
    public record Risk(String userId, Instant at, double score, Double pAlive, Double expectedPurchases, double horizonDays, Double clv,
                       Model model, List<ChurnContributions.Contribution> contributions) {
    }

    public record Model(long id, String name, int version) {
    }

    /** What scoring needs of the active model beside its session: feature names, medians, the population models. */
    record Context(ServedModel served, double[] medians, BgNbd bgNbd, GammaGamma gammaGamma) {
    }

    private final OnnxModels models;
    private final TrainingLog log;
    private final LifecycleClock clock;
    private final ModelConfig config;
    private final Features features = new Features();

    ChurnScoring(OnnxModels models, TrainingLog log, LifecycleClock clock, ModelConfig config) {
        this.models = models;
        this.log = log;
        this.clock = clock;
        this.config = config;
    }

    public Optional<Context> context() {
        return models.active(ModelKind.CHURN).map(m -> {
            JsonNode mapping = m.mapping();
            double[] medians = new double[m.features().size()];
            for (int j = 0; j < medians.length; j++) {
                JsonNode v = mapping.path("baseline").path(j);
                medians[j] = v.isNumber() ? v.asDouble() : Double.NaN;
            }
            BgNbd bgNbd = mapping.has("bgNbd") ? new BgNbd(Json.mapper().convertValue(mapping.get("bgNbd"), BgNbd.Params.class)) : null;
            GammaGamma gg = mapping.has("gammaGamma") ? new GammaGamma(Json.mapper().convertValue(mapping.get("gammaGamma"), GammaGamma.Params.class)) : null;
            return new Context(m, medians, bgNbd, gg);
        });
    }

    public Instant watermark() {
        Instant w = clock.watermark();
        if (w == null) {
            throw new IllegalStateException("Nothing has been decided yet: no event-time watermark to score at");
        }
        return w;
    }

    /** One user's risk now (empty when she had no activity before the watermark). */
    public Optional<Risk> score(Context ctx, String userId) {
        Instant at = watermark();
        List<TrainingLog.Activity> activities = log.activitiesOf(userId);
        if (activities.isEmpty()) {
            return Optional.empty();
        }
        UserHistory history = ChurnHistories.of(activities).get(0);
        if (!history.hasActivityBefore(at)) {
            return Optional.empty();
        }
        UserHistory past = history.before(at);
        float[] x = features.compute(past, at);
        double[] scores = run(ctx.served(), ChurnContributions.occlusions(x, ctx.medians()));
        RepeatPurchases rp = RepeatPurchases.of(past, at);
        Figures f = figures(ctx, rp);
        return Optional.of(new Risk(userId, at, scores[0], f.pAlive(), f.expected(), config.churn().horizon().toDays() , f.clv(),
                model(ctx.served()), ChurnContributions.rank(ctx.served().features(), x, ctx.medians(), scores, TOP_CONTRIBUTIONS)));
    }

    /** P(alive), expected purchases in the horizon and CLV, when the model carries the population fits. */
    record Figures(Double pAlive, Double expected, Double clv) {
    }

    Figures figures(Context ctx, RepeatPurchases rp) {
        if (ctx.bgNbd() == null) {
            return new Figures(null, null, null);
        }
        double horizonDays = config.churn().horizon().toDays();
        Double clv = ctx.gammaGamma() == null ? null : ctx.gammaGamma().clv(ctx.bgNbd(), rp, GammaGamma.ClvSettings.DEFAULTS);
        return new Figures(ctx.bgNbd().pAlive(rp), ctx.bgNbd().expectedPurchases(horizonDays, rp), clv);
    }

    static Model model(ServedModel m) {
        return new Model(m.info().id(), m.info().name(), m.info().version());
    }

    /** Probabilities of rows through the churn graph. */
    static double[] run(ServedModel model, float[][] rows) {
        try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), rows);
             OrtSession.Result r = model.run(Map.of(ModelContract.FEATURES, x), rows.length)) {
            return ChurnOutputs.probabilities(r);
        } catch (OrtException e) {
            throw new IllegalStateException("The churn model failed", e);
        }
    }

    Features features() {
        return features;
    }
}
