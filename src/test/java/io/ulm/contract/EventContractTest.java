package io.ulm.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.ingest.EventContract;
import io.ulm.ingest.EventContract.Violation;
import io.ulm.lifecycle.ContractScenarios;
import io.ulm.lifecycle.ContractScenarios.Scenario;
import io.ulm.lifecycle.Stage;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.platform.Json;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The event contract in {@code events/}: every schema's examples validate against their own schema,
 * the schemas reject what they should (they are not vacuous), every domain event record has a schema
 * that lists exactly its components, and the events the {@code UserLifecycle} aggregate really emits
 * validate against their schemas.
 */
class EventContractTest {

    private static final Path EVENTS = eventsDirectory();
    private static final String API_PACKAGE = "io.ulm.lifecycle.api";
    /** Every package holding domain event records: the lifecycle's, the catalogue's (checked by CatalogueItemTest), the win-back sagas' wake-ups. */
    private static final List<String> API_PACKAGES = List.of(API_PACKAGE, "io.ulm.catalogue.api", "io.ulm.winback.api");

    private static List<Scenario> scenarios;

    /** Runs the aggregate scenarios once, on first use, so that a failing aggregate fails only the tests that use it. */
    private static synchronized List<Scenario> scenarios() {
        if (scenarios == null) {
            scenarios = ContractScenarios.all();
        }
        return scenarios;
    }

    // ---------------------------------------------------------------- examples

    @TestFactory
    Stream<DynamicTest> everyExampleValidatesAgainstItsOwnSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String schema : schemas()) {
            JsonNode examples = read(schema).path("examples");
            for (int i = 0; i < examples.size(); i++) {
                JsonNode example = examples.get(i);
                tests.add(dynamicTest(schema + " example " + i,
                        () -> assertThat(EventContract.validate(schema, example)).as(example.toString()).isEmpty()));
            }
        }
        assertThat(tests).as("examples found").hasSizeGreaterThanOrEqualTo(schemas().size() - 2);
        return tests.stream();
    }

    @Test
    void everySchemaIsWellFormedAndNamedByItsPath() {
        assertThat(schemas()).contains("segment/track.schema.json", "domain/StageChanged.schema.json");
        for (String schema : schemas()) {
            JsonNode node = read(schema);
            assertThat(node.path("$schema").asText()).as(schema).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(node.path("$id").asText()).as(schema).isEqualTo("https://ulm.example/events/" + schema);
            assertThat(node.path("title").asText()).as(schema + " title").isNotBlank();
            if (!schema.endsWith("/common.schema.json")) {
                assertThat(node.path("examples").size()).as(schema + " examples").isPositive();
            }
        }
    }

    // ------------------------------------------------ domain schemas vs. records

    @Test
    void everyDomainEventRecordHasASchemaListingExactlyItsComponents() {
        List<Class<?>> events = domainEventClasses();
        assertThat(events).extracting(Class::getSimpleName).containsExactlyInAnyOrder(
                "UserAcquired", "ActivityRecorded", "TraitsUpdated", "GroupJoined", "IdentityLinked", "AliasRecorded", "StageChanged",
                "UserEnteredSegment", "UserLeftSegment", "ChurnRiskRaised", "ItemCatalogued", "WinbackStepDue", "UserErased");
        for (Class<?> type : events) {
            String schema = schemaOf(type);
            assertThat(Files.isRegularFile(EVENTS.resolve(schema))).as(schema + " exists").isTrue();
            JsonNode node = read(schema);
            List<String> components = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
            assertThat(names(node.path("properties"))).as(schema + " properties").containsExactlyInAnyOrderElementsOf(components);
            // io.ulm.platform.Json writes every component, null or not, so every field is always present
            assertThat(texts(node.path("required"))).as(schema + " required").containsExactlyInAnyOrderElementsOf(components);
            assertThat(node.path("type").asText()).as(schema).isEqualTo("object");
            assertThat(node.path("additionalProperties").isBoolean() && !node.path("additionalProperties").asBoolean())
                    .as(schema + " additionalProperties: false").isTrue();
            assertThat(node.path("description").asText()).as(schema + " description")
                    .contains("Axon payload type " + type.getName() + ", revision " + type.getAnnotation(Revision.class).value() + ".");
        }
    }

    @Test
    void everyDomainSchemaBelongsToAnEventRecord() {
        Set<String> events = new TreeSet<>(domainEventClasses().stream().map(Class::getSimpleName).toList());
        for (String schema : schemas()) {
            if (schema.startsWith("domain/") && !schema.equals("domain/common.schema.json")) {
                // X.schema.json (revision 1) or X.vN.schema.json (revision N), X a domain event record
                String name = schema.substring("domain/".length()).replaceFirst("(\\.v[0-9]+)?\\.schema\\.json$", "");
                assertThat(events).as(schema).contains(name);
            }
        }
    }

    // ------------------------------------------------------------ negative cases

    @Test
    void anUndocumentedTopLevelFieldFailsEveryDomainSchema() {
        for (String schema : domainEventSchemas()) {
            ObjectNode event = example(schema, 0);
            event.put("tenantId", "t-1");
            assertThat(EventContract.validate(schema, event)).as(schema)
                    .anySatisfy(v -> {
                        assertThat(v.keyword()).isEqualTo("additionalProperties");
                        assertThat(v.message()).contains("tenantId");
                    });
        }
    }

    @Test
    void aMissingFieldFailsEveryDomainSchema() {
        for (String schema : domainEventSchemas()) {
            ObjectNode example = example(schema, 0);
            for (String field : names(example)) {
                ObjectNode event = example.deepCopy();
                event.remove(field);
                assertThat(EventContract.validate(schema, event)).as(schema + " without " + field)
                        .extracting(Violation::pointer, Violation::keyword).contains(tuple("/" + field, "required"));
            }
        }
    }

    @Test
    void anActivityRecordedWithoutEventTimeFails() {
        ObjectNode event = example("domain/ActivityRecorded.schema.json", 0);
        event.remove("at");
        assertThat(EventContract.validate("domain/ActivityRecorded.schema.json", event))
                .extracting(Violation::pointer, Violation::keyword).containsExactly(tuple("/at", "required"));
    }

    @Test
    void anUnknownStageFails() {
        assertViolation("domain/StageChanged.schema.json", 1, e -> e.put("to", "DORMANT"), "/to");
        assertViolation("domain/StageChanged.schema.json", 1, e -> e.put("from", "dormant"), "/from");
    }

    @Test
    void illegalTransitionsFail() {
        String schema = "domain/StageChanged.schema.json";
        // CHURNED is reached only from AT_RISK
        assertViolation(schema, 2, e -> e.put("to", "CHURNED").put("from", "MONETIZED"), "/from");
        // ACTIVATED only from ACQUIRED
        assertViolation(schema, 1, e -> e.put("to", "ACTIVATED").put("from", "LOYAL"), "/from");
        // the first transition is ACQUIRED, from nothing
        assertViolation(schema, 0, e -> e.put("from", "REACTIVATED"), "/from");
        // REACTIVATED only from the inactivity stages
        assertViolation(schema, 3, e -> e.put("from", "ENGAGED"), "/from");
        // inactivity has no causing message, and sorts before the messages at its instant
        assertViolation(schema, 2, e -> e.put("causeMessageId", "m-1"), "/causeMessageId");
        assertViolation(schema, 2, e -> ((ObjectNode) e.get("cursor")).put("phase", 2), "/cursor/phase");
        assertViolation(schema, 0, e -> ((ObjectNode) e.get("cursor")).put("phase", 3), "/cursor/phase");
    }

    @Test
    void evidenceMustMatchTheRuleThatFired() {
        String schema = "domain/StageChanged.schema.json";
        assertViolation(schema, 3, e -> ((ObjectNode) e.get("evidence")).remove("inactiveDays"), "/evidence/inactiveDays");
        assertViolation(schema, 3, e -> ((ObjectNode) e.get("evidence")).put("inactiveDays", "42"), "/evidence/inactiveDays");
        assertViolation(schema, 2, e -> ((ObjectNode) e.get("evidence")).put("inactiveFor", "30 days"), "/evidence/inactiveFor");
        assertViolation(schema, 0, e -> ((ObjectNode) e.get("evidence")).put("purchases", 3), "/evidence");
    }

    @Test
    void instantsAreIsoStringsNotNumbers() {
        assertViolation("domain/UserAcquired.schema.json", 0, e -> e.put("at", 1709294220L), "/at");
        assertViolation("domain/UserAcquired.schema.json", 0, e -> e.put("at", "yesterday"), "/at");
        assertViolation("domain/StageChanged.schema.json", 2, e -> e.put("lastActivityAt", "2024-03-01"), "/lastActivityAt");
    }

    @Test
    void activityFieldsAreTyped() {
        String schema = "domain/ActivityRecorded.schema.json";
        assertViolation(schema, 1, e -> e.put("revenue", 10), "/revenue");                           // a page has no revenue
        assertViolation(schema, 0, e -> e.put("revenue", "25.50"), "/revenue");
        assertViolation(schema, 0, e -> e.put("currency", "pounds"), "/currency");
        assertViolation(schema, 0, e -> e.put("type", "identify"), "/type");
        assertViolation(schema, 0, e -> e.putNull("event"), "/event");                              // track has a name
        assertViolation(schema, 0, e -> e.putNull("itemIds"), "/itemIds");
        assertViolation(schema, 0, e -> e.put("late", "no"), "/late");
        assertViolation(schema, 1, e -> ((ObjectNode) e.get("kind")).put("activity", false).put("refund", true), "/kind/refund");
        assertViolation(schema, 0, e -> ((ObjectNode) e.get("kind")).put("tier", 1), "/kind");
    }

    @Test
    void encryptedValuesMustBeWellFormed() {
        assertViolation("domain/TraitsUpdated.schema.json", 0,
                e -> ((ObjectNode) e.get("traits")).set("email", Json.mapper().createObjectNode().put("$encrypted", "ada@example.org")),
                "/traits/email/$encrypted");
        assertViolation("domain/ActivityRecorded.schema.json", 0,
                e -> ((ObjectNode) e.get("properties")).set("email",
                        Json.mapper().createObjectNode().put("$encrypted", "v1.k1.AAAA").put("plain", "ada@example.org")),
                "/properties/email");
        assertViolation("domain/GroupJoined.schema.json", 0, e -> e.put("traits", "acme"), "/traits");
    }

    @Test
    void segmentSchemasAreNotVacuousEither() {
        assertViolation("segment/track.schema.json", 0, e -> e.remove("event"), "/event");
        assertViolation("segment/track.schema.json", 0, e -> e.put("timestamp", "1 March"), "/timestamp");
        assertViolation("segment/identify.schema.json", 0, e -> e.put("type", "track"), "/type");
    }

    // --------------------------------------------------- what the aggregate emits

    @TestFactory
    Stream<DynamicTest> everyEmittedEventValidatesAgainstItsSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario scenario : scenarios()) {
            for (int i = 0; i < scenario.events().size(); i++) {
                Object payload = scenario.events().get(i);
                String schema = schemaOf(payload.getClass());
                JsonNode json = Json.mapper().valueToTree(payload);
                tests.add(dynamicTest(scenario.name() + " #" + i + " " + payload.getClass().getSimpleName(),
                        () -> assertThat(EventContract.validate(schema, json)).as(json.toString()).isEmpty()));
            }
        }
        return tests.stream();
    }

    @Test
    void theScenariosCoverEveryEventTypeStageAndShape() {
        List<Object> events = scenarios().stream().flatMap(s -> s.events().stream()).toList();
        assertThat(events.stream().map(Object::getClass).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(domainEventClasses().stream().filter(c -> c.getPackageName().equals(API_PACKAGE)).toList());

        Set<Stage> reached = EnumSet.noneOf(Stage.class);
        events.stream().filter(StageChanged.class::isInstance).map(e -> ((StageChanged) e).to()).forEach(reached::add);
        assertThat(reached).containsExactlyInAnyOrder(Stage.values());

        // the shapes that matter for the schema: nulls, encrypted values, purchases, late messages
        List<JsonNode> json = events.stream().map(e -> (JsonNode) Json.mapper().valueToTree(e)).toList();
        assertThat(json).anySatisfy(e -> {
            assertThat(e.path("revenue").isNumber()).isTrue();
            assertThat(e.path("itemIds").size()).isGreaterThan(1);
            assertThat(e.path("properties").path("email").has("$encrypted")).isTrue();
        });
        assertThat(json).anySatisfy(e -> assertThat(e.path("late").asBoolean()).isTrue());
        assertThat(json).anySatisfy(e -> assertThat(e.path("traits").path("email").has("$encrypted")).isTrue());
        assertThat(json).anySatisfy(e -> assertThat(e.has("traits") && e.get("traits").isNull()).isTrue());
        assertThat(json).anySatisfy(e -> assertThat(e.path("via").asText()).isEqualTo("alias"));
        assertThat(json).anySatisfy(e -> assertThat(e.path("type").asText().equals("screen") && e.get("event").isNull()).isTrue());
    }

    @Test
    void emittedEventsReadBackFromTheStoreAsTheSameDocument() throws IOException {
        // what Axon's JacksonSerializer stores, read back into the record and written again, is the same
        // JSON document (compared as parsed trees: JsonNode fields lose trailing decimal zeros on reading)
        for (Scenario scenario : scenarios()) {
            for (Object payload : scenario.events()) {
                String text = Json.mapper().writeValueAsString(payload);
                Object read = Json.mapper().readValue(text, payload.getClass());
                assertThat(Json.mapper().readTree(Json.mapper().writeValueAsString(read))).as(text)
                        .isEqualTo(Json.mapper().readTree(text));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertViolation(String schema, int example, Consumer<ObjectNode> change, String pointer) {
        ObjectNode event = example(schema, example);
        assertThat(EventContract.validate(schema, event)).as("the unchanged example is valid").isEmpty();
        change.accept(event);
        assertThat(EventContract.validate(schema, event)).as(schema + ": " + event)
                .extracting(Violation::pointer).contains(pointer);
    }

    private static ObjectNode example(String schema, int index) {
        JsonNode example = read(schema).path("examples").path(index);
        assertThat(example.isObject()).as(schema + " example " + index).isTrue();
        return (ObjectNode) example.deepCopy();
    }

    /** The schema of the record's current revision: revision 1 is {@code X.schema.json}, N > 1 {@code X.vN.schema.json}. */
    private static String schemaOf(Class<?> eventType) {
        Revision revision = eventType.getAnnotation(Revision.class);
        String version = revision == null || revision.value().equals("1") ? "" : ".v" + revision.value();
        return "domain/" + eventType.getSimpleName() + version + ".schema.json";
    }

    private static List<String> domainEventSchemas() {
        return domainEventClasses().stream().map(EventContractTest::schemaOf).toList();
    }

    /** Every record in the API packages that Axon stores with a revision: the domain events. */
    private static List<Class<?>> domainEventClasses() {
        List<Class<?>> types = new ArrayList<>();
        for (String pkg : API_PACKAGES) {
            try {
                Path dir = Path.of(EventContractTest.class.getClassLoader().getResource(pkg.replace('.', '/')).toURI());
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                        String name = file.getFileName().toString().replace(".class", "");
                        Class<?> type = Class.forName(pkg + "." + name);
                        if (type.isRecord() && type.isAnnotationPresent(Revision.class)) {
                            types.add(type);
                        }
                    }
                }
            } catch (IOException | URISyntaxException | ClassNotFoundException e) {
                throw new IllegalStateException("Cannot list " + pkg, e);
            }
        }
        return types;
    }

    /** Schema paths relative to {@code events/}, e.g. {@code segment/track.schema.json}, in a stable order. */
    private static List<String> schemas() {
        List<String> paths = new ArrayList<>();
        for (String dir : List.of("segment", "domain")) {
            try (Stream<Path> files = Files.list(EVENTS.resolve(dir))) {
                files.filter(f -> f.getFileName().toString().endsWith(".schema.json")).sorted()
                        .forEach(f -> paths.add(dir + "/" + f.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return paths;
    }

    private static final Map<String, JsonNode> FILES = new LinkedHashMap<>();

    private static synchronized JsonNode read(String schema) {
        return FILES.computeIfAbsent(schema, s -> {
            try {
                return Json.mapper().readTree(EVENTS.resolve(s).toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read events/" + s, e);
            }
        });
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static Path eventsDirectory() {
        Path dir = Path.of(System.getProperty("basedir", "."), "events");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("events");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("events/ not found from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
