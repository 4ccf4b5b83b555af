package io.ulm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas of {@code events/} (draft 2020-12), loaded from the classpath, validated with
 * networknt's json-schema-validator. Errors name the failing field as a JSON Pointer.
 */
public final class EventContract {

    static final String ID_PREFIX = "https://ulm.example/events/";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder
                    .schemaIdResolvers(resolvers -> resolvers.mapPrefix(ID_PREFIX, "classpath:events/"))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder()
                            .pathType(PathType.JSON_POINTER)
                            .formatAssertionsEnabled(true)
                            .locale(Locale.ENGLISH)
                            .build()));
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    /** One violation: where (a JSON Pointer into the validated document), which keyword and why. */
    public record Violation(String pointer, String keyword, String message) {
    }

    private EventContract() {
    }

    /** Validates {@code document} against {@code events/<path>}, e.g. {@code segment/track.schema.json}. */
    public static List<Violation> validate(String path, JsonNode document) {
        Schema schema = SCHEMAS.computeIfAbsent(path, p -> {
            Schema s = REGISTRY.getSchema(SchemaLocation.of(ID_PREFIX + p));
            s.initializeValidators();
            return s;
        });
        return schema.validate(document).stream().map(EventContract::violation).toList();
    }

    private static Violation violation(Error error) {
        String pointer = error.getInstanceLocation().toString();
        if (error.getProperty() != null && "required".equals(error.getKeyword())) {
            pointer = pointer + "/" + error.getProperty();
        }
        return new Violation(pointer, error.getKeyword(), error.getMessage());
    }
}
