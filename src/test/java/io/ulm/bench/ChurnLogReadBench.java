package io.ulm.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ulm.catalogue.SharedData;
import io.ulm.ingest.CsvMapping;
import io.ulm.ingest.Imports;
import io.ulm.model.ModelsProfile;
import io.ulm.model.TrainingLog;
import io.ulm.projection.ProjectionProgress;
import io.ulm.support.E2e;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The churn scoring job's read of the event log on Online Retail, as it was (every activity into memory, then grouped
 * per user: the whole log's activities on the heap) and as it is (one user at a time, {@link TrainingLog#activitiesByUser}:
 * one user's on the heap), timed. A {@code @QuarkusTest} on Online Retail, run by Surefire on an idle machine:
 * {@code ./mvnw test -Dtest=ChurnLogReadBench -Dsurefire.failIfNoSpecifiedTests=false} (not in the normal test run). Features, ONNX
 * and the writes are the same in both and are measured by ChurnScoringBench and OnlineRetailModelsTest.
 */
@QuarkusTest
@TestProfile(ModelsProfile.class)
class ChurnLogReadBench {

    private static final int RUNS = Integer.getInteger("bench.runs", 3);

    @Inject
    Imports imports;
    @Inject
    ProjectionProgress progress;
    @Inject
    TrainingLog log;
    @Inject
    DataSource dataSource;

    @Test
    void readingTheLogForScoring() throws Exception {
        if (E2e.count(dataSource, "SELECT count(*) FROM domain_event_entry") == 0) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(SharedData.path(SharedData.RETAIL)), 1 << 16)) {
                imports.csv(in, CsvMapping.load("online-retail"), "bench", null);
            }
            assertThat(progress.awaitCaughtUp(Duration.ofMinutes(3))).isTrue();
        }
        double[] whole = new double[RUNS];
        double[] perUser = new double[RUNS];
        long[] users = new long[2];
        for (int r = 0; r < RUNS; r++) {
            long t0 = System.nanoTime();
            Map<String, List<TrainingLog.Activity>> grouped = new LinkedHashMap<>();
            for (TrainingLog.Activity a : log.activities()) {
                grouped.computeIfAbsent(a.userId(), u -> new ArrayList<>()).add(a);
            }
            users[0] = grouped.size();
            whole[r] = (System.nanoTime() - t0) / 1e6;
            long t1 = System.nanoTime();
            long[] n = new long[1];
            log.activitiesByUser(activities -> n[0]++);
            users[1] = n[0];
            perUser[r] = (System.nanoTime() - t1) / 1e6;
        }
        assertThat(users[1]).as("the same users either way").isEqualTo(users[0]);
        long activities = E2e.count(dataSource, "SELECT count(*) FROM domain_event_entry WHERE payload_type = 'io.ulm.lifecycle.api.ActivityRecorded'");
        System.out.printf("%n==== ULM churn log read benchmark, %s, %d cores, Java %s ====%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("Online Retail: %,d ActivityRecorded events, %,d users%n", activities, users[0]);
        System.out.printf("whole log in memory, grouped: median %.0f ms %s%n", median(whole), Arrays.toString(whole));
        System.out.printf("one user at a time (sorted by user in PostgreSQL): median %.0f ms %s%n", median(perUser), Arrays.toString(perUser));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
