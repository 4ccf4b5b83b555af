package io.ulm.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** Trains the models of one kind from the event log; {@link ModelTraining} registers them and serves the best. */
public interface ModelTrainer {

    ModelKind kind();

    /** The trained models, each exported to ONNX, with its evaluation; the one with the highest validation score is served. */
    List<Candidate> train(Progress progress);

    /**
     * A trained model: what produced it, its ONNX graph and id mapping (the kind's contract), its evaluation beside
     * the baselines, the event time of the newest event it learned from, and the score it is chosen by (validation only).
     */
    record Candidate(String name, byte[] onnx, JsonNode mapping, JsonNode metrics, Instant watermark, double validationScore) {
    }

    /**
     * Where a training run reports what it is doing. Both methods throw {@link Cancelled} once the run's cancellation
     * was requested: a trainer calls {@link #checkpoint()} where stopping is cheap (between epochs), besides each step.
     */
    interface Progress {
        void step(String step, double fraction);

        default void checkpoint() {
        }
    }

    /** Thrown out of {@link Progress} when the run was cancelled: the trainer stops, nothing is registered. */
    final class Cancelled extends RuntimeException {
        public Cancelled() {
            super("cancelled on request", null, false, false);
        }
    }
}
