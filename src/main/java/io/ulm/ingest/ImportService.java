package io.ulm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.lifecycle.ClockSweep;
import io.ulm.lifecycle.LifecycleClock;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * History imports in event time. Messages are recorded in chunks (one transaction each) without
 * deciding any stage; when the import ends, the clock advances to the import's latest event and the
 * sweep decides every imported user in event order. Re-running an interrupted import is safe:
 * stored messages are recognised as duplicates, and the final sweep decides as a clean import would.
 */
@ApplicationScoped
public class ImportService {

    private static final Logger LOG = Logger.getLogger(ImportService.class);
    private static final int KEPT_ERRORS = 100;

    /** What an import did; {@code errors} keeps the first rejected messages with their line and reason. */
    public record Result(String importId, String source, long read, long stored, long duplicates, long rejected,
                         long skipped, Instant maxEventTime, Instant decidedUpTo, int usersDecided, double seconds,
                         List<MessageError> errors) {
    }

    private final IngestService ingest;
    private final LifecycleClock clock;
    private final ClockSweep sweep;
    private final DataSource dataSource;
    private final int chunkSize;

    ImportService(IngestService ingest, LifecycleClock clock, ClockSweep sweep, DataSource dataSource, UlmConfig config) {
        this.ingest = ingest;
        this.clock = clock;
        this.sweep = sweep;
        this.dataSource = dataSource;
        this.chunkSize = config.importer().chunkSize();
    }

    public Session start(String source, Consumer<Result> progress) {
        return new Session(source, progress);
    }

    /** One import: add messages in file order, skip what the mapping excludes, then finish. */
    public final class Session {
        private final String id = UUID.randomUUID().toString();
        private final String source;
        private final Consumer<Result> progress;
        private final long started = System.nanoTime();
        private final List<JsonNode> buffer = new ArrayList<>();
        private final List<MessageError> errors = new ArrayList<>();
        private long firstLine = 1;
        private long read;
        private long stored;
        private long duplicates;
        private long rejected;
        private long skipped;
        private Instant max;

        private Session(String source, Consumer<Result> progress) {
            this.source = source;
            this.progress = progress == null ? r -> { } : progress;
            execute("INSERT INTO import_run (id, source) VALUES (?, ?)", id, source);
        }

        /** Adds the message read at {@code line} (1-based; lines of an NDJSON file, rows of a CSV). */
        public void add(JsonNode message, long line) {
            if (buffer.isEmpty()) {
                firstLine = line;
            }
            buffer.add(message);
            read++;
            if (buffer.size() >= chunkSize) {
                flush();
            }
        }

        /** Counts a source record the mapping deliberately leaves out (e.g. a row without customer). */
        public void skip() {
            skipped++;
        }

        /** A record that could not even become a message (unparseable line). */
        public void reject(MessageError error) {
            read++;
            rejected++;
            keep(List.of(error));
        }

        public Result finish() {
            flush();
            int decided = 0;
            Instant watermark = null;
            if (max != null) {
                clock.advance(max);
                watermark = clock.watermark();
                decided = watermark == null ? 0 : sweep.sweepUpTo(watermark);
            }
            Result result = snapshot(decided, watermark);
            execute("UPDATE import_run SET finished_at = now(), read = ?, stored = ?, duplicates = ?, rejected = ?, "
                    + "skipped = ?, max_event_time = ? WHERE id = ?", result.read(), result.stored(), result.duplicates(),
                    result.rejected(), result.skipped(), max == null ? null : max.atOffset(ZoneOffset.UTC), id);
            LOG.infof("Import %s (%s) finished: %d read, %d stored, %d duplicates, %d rejected, %d skipped, %d users decided in %.1f s",
                    id, source, read, stored, duplicates, rejected, skipped, decided, result.seconds());
            return result;
        }

        private void flush() {
            if (buffer.isEmpty()) {
                return;
            }
            IngestService.Outcome outcome = ingest.ingestLines(List.copyOf(buffer), firstLine);
            buffer.clear();
            stored += outcome.accepted();
            duplicates += outcome.duplicates();
            rejected += outcome.rejected();
            keep(outcome.errors());
            if (outcome.maxEventTime() != null && (max == null || outcome.maxEventTime().isAfter(max))) {
                max = outcome.maxEventTime();
            }
            execute("UPDATE import_run SET read = ?, stored = ?, duplicates = ?, rejected = ?, skipped = ? WHERE id = ?",
                    read, stored, duplicates, rejected, skipped, id);
            progress.accept(snapshot(0, null));
        }

        private void keep(List<MessageError> more) {
            for (MessageError e : more) {
                if (errors.size() < KEPT_ERRORS) {
                    errors.add(e);
                }
            }
        }

        private Result snapshot(int decided, Instant decidedUpTo) {
            double seconds = Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0;
            return new Result(id, source, read, stored, duplicates, rejected, skipped, max, decidedUpTo, decided, seconds,
                    List.copyOf(errors));
        }
    }

    private void execute(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("Could not record the import run", e);
        }
    }
}
