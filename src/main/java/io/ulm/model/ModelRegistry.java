package io.ulm.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The model registry table ({@code model}, projections/sql/V10__models.sql): register, list, activate, load. */
@ApplicationScoped
public class ModelRegistry {

    private static final String COLUMNS = "model_id, kind, name, version, created_at, training_watermark, metrics::text, sha256, active";

    /** A registered model without its graph. */
    public record ModelInfo(long id, String kind, String name, int version, Instant createdAt, Instant trainingWatermark,
                            JsonNode metrics, String sha256, boolean active) {
    }

    /** A model with what serving needs: its graph and id mapping. */
    public record StoredModel(ModelInfo info, byte[] onnx, JsonNode mapping) {
    }

    private final DataSource dataSource;

    ModelRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores a model as the kind's next version (activating it when asked), in one transaction. */
    public ModelInfo register(ModelKind kind, String name, byte[] onnx, JsonNode mapping, JsonNode metrics, Instant watermark,
                              boolean activate) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                // one registration per kind at a time, so versions never collide across nodes
                execute(c, "SELECT pg_advisory_xact_lock(hashtext('ulm-model-' || ?))", kind.key());
                long modelId;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO model (kind, name, version, training_watermark, metrics, mapping, onnx, sha256) "
                        + "VALUES (?, ?, (SELECT coalesce(max(version), 0) + 1 FROM model WHERE kind = ?), ?, ?::jsonb, ?::jsonb, ?, ?) RETURNING model_id")) {
                    ps.setString(1, kind.key());
                    ps.setString(2, name);
                    ps.setString(3, kind.key());
                    ps.setTimestamp(4, watermark == null ? null : Timestamp.from(watermark));
                    ps.setString(5, json(metrics));
                    ps.setString(6, json(mapping));
                    ps.setBytes(7, onnx);
                    ps.setString(8, sha256(onnx));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        modelId = rs.getLong(1);
                    }
                }
                if (activate) {
                    activate(c, kind.key(), modelId);
                }
                return modelId;
            }
        });
        return info(id).orElseThrow();
    }

    /** Makes the model its kind's active one (the previous one stays registered). */
    public Optional<ModelInfo> activate(long id) {
        Optional<ModelInfo> model = info(id);
        model.ifPresent(m -> QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                activate(c, m.kind(), id);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }));
        return model.flatMap(m -> info(id));
    }

    public List<ModelInfo> list() {
        return query("SELECT " + COLUMNS + " FROM model ORDER BY kind, version DESC", null);
    }

    public Optional<ModelInfo> info(long id) {
        return query("SELECT " + COLUMNS + " FROM model WHERE model_id = ?", id).stream().findFirst();
    }

    /** The id of each kind's active model: serving nodes poll it to swap models other nodes activated. */
    public Map<ModelKind, Long> activeIds() {
        Map<ModelKind, Long> ids = new EnumMap<>(ModelKind.class);
        for (ModelInfo m : query("SELECT " + COLUMNS + " FROM model WHERE active", null)) {
            ModelKind.of(m.kind()).ifPresent(k -> ids.put(k, m.id()));
        }
        return ids;
    }

    public Optional<StoredModel> load(long id) {
        Optional<ModelInfo> info = info(id);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT onnx, mapping::text FROM model WHERE model_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new StoredModel(info.get(), rs.getBytes(1), Json.mapper().readTree(rs.getString(2))));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not load model " + id, e);
        }
    }

    private static void activate(Connection c, String kind, long id) throws SQLException {
        execute(c, "UPDATE model SET active = false WHERE kind = ? AND active", kind);
        try (PreparedStatement ps = c.prepareStatement("UPDATE model SET active = true WHERE model_id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    private List<ModelInfo> query(String sql, Long id) {
        List<ModelInfo> models = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setLong(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp watermark = rs.getTimestamp(6);
                    models.add(new ModelInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
                            watermark == null ? null : watermark.toInstant(), Json.mapper().readTree(rs.getString(7)), rs.getString(8), rs.getBoolean(9)));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not read the model registry", e);
        }
        return models;
    }

    private static void execute(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            ps.execute();
        }
    }

    private static String json(JsonNode node) throws JsonProcessingException {
        return node == null ? "{}" : Json.mapper().writeValueAsString(finite(node));
    }

    /** JSON has no NaN or infinity (a metric that does not exist, e.g. a Brier score of a rule): they are stored as null. */
    static JsonNode finite(JsonNode node) {
        if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = Json.mapper().createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), finite(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy = Json.mapper().createArrayNode();
            node.forEach(e -> copy.add(finite(e)));
            return copy;
        }
        return node;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
