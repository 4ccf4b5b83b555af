package io.ulm.model;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Asynchronous training runs ({@code model_training}): one at a time per kind over all nodes (a unique index), on a
 * thread of their own; progress is written as the trainer reports it. When a run ends, every candidate is registered
 * and the one that validates best becomes active; a failed run leaves the served model as it was. A run can be
 * cancelled from any node: the request is stored, and the running node stops at the trainer's next step or epoch.
 */
@ApplicationScoped
public class ModelTraining {

    private static final Logger LOG = Logger.getLogger(ModelTraining.class);

    /** A training run as {@code GET /v1/models/training/{id}} shows it. */
    public record Run(long id, String kind, String state, String step, double progress, Long modelId, String error,
                      Instant requestedAt, Instant updatedAt, Instant finishedAt, Instant cancelRequestedAt) {
    }

    private final DataSource dataSource;
    private final ModelRegistry registry;
    private final OnnxModels models;
    private final Instance<ModelTrainer> trainers;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "ulm-model-training"));

    ModelTraining(DataSource dataSource, ModelRegistry registry, OnnxModels models, Instance<ModelTrainer> trainers) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.models = models;
        this.trainers = trainers;
    }

    /** Runs left RUNNING by a node that stopped cannot finish: they are marked failed, so a new one may start. */
    void start(@Observes StartupEvent event) {
        update("UPDATE model_training SET state = CASE WHEN cancel_requested_at IS NULL THEN 'FAILED' ELSE 'CANCELLED' END, "
                + "error = 'abandoned: the node running it stopped', finished_at = now() "
                + "WHERE state = 'RUNNING' AND updated_at < now() - interval '10 minutes'");
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    public Run start(ModelKind kind) {
        ModelTrainer trainer = trainers.stream().filter(t -> t.kind() == kind).findFirst().orElseThrow(() -> new ProblemException(
                Problem.of(404, "no-trainer", "No trainer", "ULM has no built-in trainer for " + kind.key()).with("kind", kind.key())));
        long id;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO model_training (kind, state, step) VALUES (?, 'RUNNING', 'queued') RETURNING training_id")) {
            ps.setString(1, kind.key());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new ProblemException(Problem.of(409, "training-running", "Training already running",
                        "A " + kind.key() + " training is running; follow it at GET /v1/models/training").with("kind", kind.key()));
            }
            throw new IllegalStateException(e);
        }
        executor.submit(() -> run(id, trainer));
        return run(id).orElseThrow();
    }

    public Optional<Run> run(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT training_id, kind, state, step, progress, model_id, error, requested_at, updated_at, finished_at, "
                     + "cancel_requested_at FROM model_training WHERE training_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                // getObject: a run that served no model has null, not 0 (wasNull would ask about the last column read)
                return Optional.of(new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5),
                        rs.getObject(6, Long.class), rs.getString(7), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)),
                        instant(rs.getTimestamp(11))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asks a running training to stop (it stops at its next step or epoch, on whichever node runs it); 409 when it has
     * already ended. Asking twice keeps the first request's time.
     */
    public Run cancel(long id) {
        Run run = run(id).orElseThrow(() -> unknown(id));
        if (!"RUNNING".equals(run.state())) {
            throw new ProblemException(Problem.of(409, "training-ended", "Training already ended",
                    "Training run " + id + " is " + run.state() + ": there is nothing to cancel").with("trainingId", id).with("state", run.state()));
        }
        update("UPDATE model_training SET cancel_requested_at = coalesce(cancel_requested_at, now()) WHERE training_id = " + id);
        return run(id).orElseThrow();
    }

    static ProblemException unknown(long id) {
        return new ProblemException(Problem.of(404, "unknown-training", "Unknown training run", "No training run " + id).with("trainingId", id));
    }

    private void run(long id, ModelTrainer trainer) {
        try {
            List<ModelTrainer.Candidate> candidates = trainer.train(new ModelTrainer.Progress() {
                @Override
                public void step(String step, double fraction) {
                    progress(id, step, fraction);
                }

                @Override
                public void checkpoint() {
                    if (cancelRequested(id)) {
                        throw new ModelTrainer.Cancelled();
                    }
                }
            });
            ModelTrainer.Candidate best = candidates.stream().max(Comparator.comparingDouble(ModelTrainer.Candidate::validationScore)).orElseThrow();
            long served = 0;
            for (ModelTrainer.Candidate c : candidates) {
                ModelRegistry.ModelInfo m = registry.register(trainer.kind(), c.name(), c.onnx(), c.mapping(), c.metrics(), c.watermark(), c == best);
                if (c == best) {
                    served = m.id();
                }
            }
            models.refresh();
            finish(id, "DONE", served, null);
        } catch (ModelTrainer.Cancelled e) {
            LOG.infof("Training %d (%s) cancelled on request", id, trainer.kind().key());
            finish(id, "CANCELLED", null, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            LOG.errorf(e, "Training %d (%s) failed", id, trainer.kind().key());
            finish(id, "FAILED", null, String.valueOf(e.getMessage()));
        }
    }

    /** Records the step; throws {@link ModelTrainer.Cancelled} when the run's cancellation was requested. */
    private void progress(long id, String step, double fraction) {
        boolean cancelled = false;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE model_training SET step = ?, progress = ?, updated_at = now() WHERE training_id = ? "
                     + "RETURNING cancel_requested_at IS NOT NULL")) {
            ps.setString(1, step);
            ps.setDouble(2, Math.max(0, Math.min(1, fraction)));
            ps.setLong(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                cancelled = rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            LOG.warnf("Could not record the progress of training %d: %s", id, e.getMessage());
        }
        if (cancelled) {
            throw new ModelTrainer.Cancelled();
        }
    }

    private boolean cancelRequested(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT cancel_requested_at IS NOT NULL FROM model_training WHERE training_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            LOG.warnf("Could not read whether training %d was cancelled: %s", id, e.getMessage());
            return false;
        }
    }

    private void finish(long id, String state, Long model, String error) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE model_training SET state = ?, step = ?, progress = CASE WHEN ? = 'DONE' THEN 1 ELSE progress END, "
                     + "model_id = ?, error = ?, updated_at = now(), finished_at = now() WHERE training_id = ?")) {
            ps.setString(1, state);
            ps.setString(2, state.toLowerCase(java.util.Locale.ROOT));
            ps.setString(3, state);
            ps.setObject(4, model);
            ps.setString(5, error);
            ps.setLong(6, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.errorf(e, "Could not finish training %d", id);
        }
    }

    private void update(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
