package io.ulm.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.platform.Json;
import io.ulm.projection.ProjectionProgress;
import io.ulm.support.Api;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/** The segment tests' reads: SQL on their database, the segment endpoints, the data set. */
final class SegmentsDb {

    private final DataSource dataSource;
    private final ProjectionProgress progress;

    SegmentsDb(DataSource dataSource, ProjectionProgress progress) {
        this.dataSource = dataSource;
        this.progress = progress;
    }

    /** Until every projection has read the log's head and none is replaying. */
    void awaitProjections() throws InterruptedException {
        assertThat(progress.awaitCaughtUp(Duration.ofMinutes(2))).as("projections caught up").isTrue();
        for (int i = 0; i < 600 && progress.status().processors().values().stream().anyMatch(p -> p.replaying() || p.lag() > 0); i++) {
            Thread.sleep(100);
        }
    }

    String scalar(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    List<String> column(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    List<String> members(String segment) throws Exception {
        return column("SELECT user_id FROM segment_membership WHERE segment_id = '" + segment + "' ORDER BY user_id");
    }

    static JsonNode evaluate() throws Exception {
        return Json.mapper().readTree(Api.admin().post("/v1/admin/segments/evaluate").then().statusCode(200).extract().asString());
    }

    static JsonNode asOf(String user, Instant at) throws Exception {
        return Json.mapper().readTree(Api.reader().queryParam("asOf", at.toString()).get("/v1/users/" + user + "/segments")
                .then().statusCode(200).extract().asString());
    }

    /** One segment of GET /v1/segments. */
    static JsonNode segment(String id) throws Exception {
        JsonNode listed = Json.mapper().readTree(Api.reader().get("/v1/segments").then().statusCode(200).extract().asString());
        for (JsonNode s : listed.path("segments")) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no segment " + id + " in " + listed);
    }

    static Path dataset() {
        String shared = System.getProperty("shared.dir");
        if (shared == null || shared.isBlank()) {
            fail("System property shared.dir is not set (surefire sets it to ../shared); the Online Retail data set is needed");
        }
        Path file = Path.of(shared, "datasets", "online-retail", "online_retail.csv.gz").toAbsolutePath().normalize();
        if (!Files.isReadable(file)) {
            fail("Data set not found at " + file + " (see ../shared/datasets/README.md); this test needs it");
        }
        return file;
    }
}
