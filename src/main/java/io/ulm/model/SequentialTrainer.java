package io.ulm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.model.onnx.SasRecOnnxExporter;
import io.ulm.model.recsys.Interaction;
import io.ulm.model.sequential.SasRecSettings;
import io.ulm.model.sequential.SasRecTraining;
import io.ulm.model.sequential.Sequences;
import io.ulm.model.sequential.SequentialEvaluation;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;

/**
 * Trains the sequential recommender from the event log ({@code POST /v1/models/sequential/train}; docs/sequential.md):
 * every activity naming items is an interaction (refunds and items of excluded categories left out:
 * {@link TrainingLog#interactions()}), each user's distinct items in event time form her sequence; SASRec is trained
 * on the training items with early stopping on the validation items, evaluated beside popularity, ALS, item-kNN and the tuned ALS + SASRec blend under the sampled and the full-ranking protocol, and
 * exported to ONNX; the blend's weights go into the mapping, where serving reads them. Progress
 * reports every validation check (epoch, loss, validation NDCG@10).
 */
@ApplicationScoped
public class SequentialTrainer implements ModelTrainer {

    static final int[] CUT_OFFS = {10, 20};
    /** Share of the progress bar the epochs take (reading the log before, evaluation and export after). */
    private static final double TRAINING_FROM = 0.1;
    private static final double TRAINING_TO = 0.8;

    private final TrainingLog log;
    private final ModelConfig config;

    SequentialTrainer(TrainingLog log, ModelConfig config) {
        this.log = log;
        this.config = config;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.SEQUENTIAL;
    }

    @Override
    public List<Candidate> train(Progress progress) {
        progress.step("reading the event log", 0.02);
        TrainingLog.Interactions read = log.interactions();
        List<Interaction> interactions = read.list();
        Sequences data = Sequences.of(interactions);
        if (data.evaluatedUsers().length == 0) {
            throw new IllegalStateException("No user has " + Sequences.MIN_EVALUATED + " distinct items yet: nothing to validate on");
        }
        SasRecSettings settings = config.sequential().settings();
        progress.step("training SASRec on " + data.numUsers() + " users' sequences", TRAINING_FROM);
        SasRecTraining.Result trained = SasRecTraining.train(data, settings, new SasRecTraining.Listener() {
            @Override
            public void validated(int epoch, int max, double loss, double ndcg) {
                progress.step(String.format(Locale.ROOT, "training SASRec: epoch %d of at most %d, loss %.4f, validation NDCG@10 %.4f",
                        epoch, max, loss, ndcg), TRAINING_FROM + (TRAINING_TO - TRAINING_FROM) * epoch / max);
            }

            @Override
            public void epochDone(int epoch) {
                progress.checkpoint();
            }
        });
        progress.step("tuning the ALS + SASRec blend on validation; evaluating beside popularity, ALS and item-kNN (sampled and full ranking)",
                TRAINING_TO);
        SequentialEvaluation evaluation = SequentialEvaluation.of(interactions, data, trained.weights(), settings.seed(),
                config.sequential().blendStep(), CUT_OFFS);
        progress.step("exporting to ONNX", 0.95);
        byte[] onnx = SasRecOnnxExporter.export(trained.weights(), data.items().ids()).toByteArray();
        ObjectNode mapping = Json.mapper().createObjectNode();
        ArrayNode items = mapping.putArray("items");
        data.items().ids().forEach(items::add);
        mapping.put("maxLength", settings.maxLength());
        mapping.set("blend", blend(evaluation.blend()));
        return List.of(new Candidate("sasrec", onnx, mapping, metrics(interactions.size(), settings, trained, evaluation), read.watermark(),
                trained.bestValidationNdcg()));
    }

    /**
     * The tuned weights as serving reads them from the mapping ({@code recommender}: the active factorisation's,
     * {@code sequential}: this model's; docs/sequential.md "Serving and policy").
     */
    static ObjectNode blend(SequentialEvaluation.Blend blend) {
        ObjectNode b = Json.mapper().createObjectNode();
        b.put(ModelKind.RECOMMENDER.key(), blend.recommender());
        b.put(ModelKind.SEQUENTIAL.key(), blend.sequential());
        b.put("validationNdcg10", blend.validationNdcg10());
        b.put("step", blend.step());
        return b;
    }

    private static JsonNode metrics(int interactions, SasRecSettings settings, SasRecTraining.Result trained, SequentialEvaluation evaluation) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("protocol", "leave-last-out in event time: last item per user = test, the one before = validation (users with >= 3 items); "
                + "sampled: the test item against 100 items the user never touched; full: against every item she has not seen");
        m.put("interactions", interactions);
        m.put("evaluatedUsers", evaluation.users());
        m.set("settings", Json.mapper().valueToTree(settings));
        ObjectNode training = m.putObject("training");
        training.put("device", trained.device());
        training.put("epochs", trained.epochsRun());
        training.put("bestEpoch", trained.bestEpoch());
        training.put("validationNdcg10Sampled", trained.bestValidationNdcg());
        training.put("lastLoss", trained.lastLoss());
        training.put("seconds", trained.seconds());
        m.set("blend", blend(evaluation.blend()));
        m.set("sampled", Json.mapper().valueToTree(evaluation.sampled()));
        m.set("test", Json.mapper().valueToTree(evaluation.full()));
        return m;
    }
}
