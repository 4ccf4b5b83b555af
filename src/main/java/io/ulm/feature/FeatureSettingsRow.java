package io.ulm.feature;

import io.quarkus.runtime.StartupEvent;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Writes the configured half-life, excluded categories and allowed lateness into {@code feature_setting} at start,
 * so that SQL readers of {@code user_category_interest} (rule segments) decay interests exactly as the API does.
 * Idempotent; every node writes the same row (nodes are expected to share their configuration).
 */
@ApplicationScoped
public class FeatureSettingsRow {

    private final DataSource dataSource;
    private final FeatureSettings settings;
    private final Duration lateness;

    FeatureSettingsRow(DataSource dataSource, UlmConfig config) {
        this.dataSource = dataSource;
        this.settings = FeatureSettings.of(config.features());
        this.lateness = config.lifecycle().allowedLateness();
    }

    void write(@Observes StartupEvent event) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE feature_setting SET half_life = make_interval(secs => ?), excluded = ?, lateness = make_interval(secs => ?) WHERE id = 1")) {
            ps.setDouble(1, settings.halfLife().toNanos() / 1e9);
            ps.setArray(2, c.createArrayOf("text", settings.excludedCategories().toArray()));
            ps.setDouble(3, lateness.toNanos() / 1e9);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the feature settings in feature_setting", e);
        }
    }
}
