package io.ulm.ingest;

import io.ulm.platform.Json;


import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/** A declared CSV column mapping (see {@code events/imports/README.md}). */
public record CsvMapping(String name, String description, String delimiter, Columns columns, TimestampSpec timestamp,
                         UserIdSpec userId, String event, Refund refund, String currency, Map<String, String> traits,
                         Map<String, String> properties, String messageIdPrefix) {

    public CsvMapping {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(columns.user(), "columns.user");
        Objects.requireNonNull(columns.timestamp(), "columns.timestamp");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(event, "event");
        delimiter = delimiter == null ? "," : delimiter;
        traits = traits == null ? Map.of() : Map.copyOf(traits);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        messageIdPrefix = messageIdPrefix == null ? name : messageIdPrefix;
        userId = userId == null ? new UserIdSpec(false) : userId;
    }

    public record Columns(String user, String timestamp, String order, String item, String itemName,
                          String quantity, String price) {
    }

    /** {@code format}: a java.time pattern (with {@code zone}), or epoch-seconds, epoch-millis, iso. */
    public record TimestampSpec(String format, ZoneId zone) {
        public TimestampSpec {
            Objects.requireNonNull(format, "timestamp.format");
            zone = zone == null ? ZoneId.of("UTC") : zone;
        }
    }

    public record UserIdSpec(boolean stripTrailingZeroDecimal) {
    }

    public record Refund(String orderPrefix, String event) {
    }

    /** A built-in mapping by name ({@code events/imports/<name>.yaml}) or a mapping file. */
    public static CsvMapping load(String nameOrPath) {
        Path file = Path.of(nameOrPath);
        String resource = "events/imports/" + nameOrPath + ".yaml";
        try (InputStream in = Files.isRegularFile(file) ? Files.newInputStream(file)
                : CsvMapping.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No import mapping '" + nameOrPath + "': not a file, and not a built-in ("
                        + "online-retail, movielens)");
            }
            // optional keys may be left out of a mapping, unknown ones still fail
            return Json.yaml().copy().disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                    .readValue(in, CsvMapping.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Invalid import mapping " + nameOrPath + ": " + e.getMessage(), e);
        }
    }
}
