package io.ulm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.ulm.support.Api;
import io.ulm.support.PostgresResource;
import org.hamcrest.Matcher;
import org.hamcrest.StringDescription;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Bad input on the Segment tracking API and the profile reads: every case answers a problem-details
 * 4xx that names the field at fault, and stores nothing of the bad message (valid messages next to
 * it in a batch are stored).
 *
 * <p>Storage is proved twice. At once, per case: the request committed before it answered, so the write path's
 * tables ({@link WritePath}) show each valid message stored once and nothing at all of a rejected one. Then, for all
 * cases together ({@link ProfileSweep}, after the last case): every stored user has a profile and every rejected id
 * is still unknown to the read API once valid sentinel messages sent after all cases have been projected.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class BadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String PAST = "2024-01-01T10:00:00Z";
    /** The read side of every case, checked once after the last (see ProfileSweep). */
    private static final ProfileSweep SWEEP = new ProfileSweep(() -> fresh("sentinel"), PAST);
    private static WritePath writes;
    private static String caseName;
    private static int port;

    @Inject
    DataSource db;

    @BeforeEach
    void observe(TestInfo test) {
        writes = new WritePath(db);
        String shown = test.getDisplayName();
        caseName = test.getTestMethod().map(Method::getName).orElse("?") + (shown.endsWith("()") ? "" : " [" + shown + "]");
        port = RestAssured.port;
    }

    /** The profiles of every case: the stored users visible, the rejected ids unknown (one projection wait for all). */
    @AfterAll
    static void profilesOfEveryCase() {
        if (SWEEP.isEmpty()) {
            return;
        }
        int before = RestAssured.port;
        RestAssured.port = port;
        try {
            List<String> failures = SWEEP.verify();
            if (!failures.isEmpty()) {
                throw new AssertionError("bad-input cases whose profiles are wrong:\n  - " + String.join("\n  - ", failures));
            }
        } finally {
            RestAssured.port = before;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Message templates: a valid message of each type, then one edit that makes it bad.
    // Tokens replaced per request: %U user id, %A second id (previousId), %M messageId,
    // %FUTURE two hours after now.
    // ------------------------------------------------------------------------------------------

    private static String base(String type) {
        return q(switch (type) {
            case "track" -> "{'type':'track','messageId':'%M','userId':'%U','event':'Bad Input Probe','timestamp':'" + PAST + "','properties':{'plan':'pro'}}";
            case "identify" -> "{'type':'identify','messageId':'%M','userId':'%U','timestamp':'" + PAST + "','traits':{'plan':'pro'}}";
            case "page" -> "{'type':'page','messageId':'%M','userId':'%U','name':'Home','timestamp':'" + PAST + "','properties':{'path':'/'}}";
            case "screen" -> "{'type':'screen','messageId':'%M','userId':'%U','name':'Home','timestamp':'" + PAST + "','properties':{}}";
            case "alias" -> "{'type':'alias','messageId':'%M','userId':'%U','previousId':'%A','timestamp':'" + PAST + "'}";
            case "group" -> "{'type':'group','messageId':'%M','userId':'%U','groupId':'acme-%U','timestamp':'" + PAST + "','traits':{'plan':'pro'}}";
            default -> throw new IllegalArgumentException(type);
        });
    }

    /**
     * A bad message: the valid {@code base(type)} with edits applied. An edit is {@code -field}
     * (remove) or {@code a.b=json} (set; single quotes stand for double quotes).
     */
    record Msg(String name, String type, String pointer, List<String> edits) {
        String json() {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(base(type));
                for (String edit : edits) {
                    if (edit.startsWith("-")) {
                        root.remove(edit.substring(1));
                        continue;
                    }
                    int eq = edit.indexOf('=');
                    String[] path = edit.substring(0, eq).split("\\.");
                    ObjectNode parent = root;
                    for (int i = 0; i < path.length - 1; i++) {
                        parent = parent.path(path[i]).isObject() ? (ObjectNode) parent.get(path[i]) : parent.putObject(path[i]);
                    }
                    parent.set(path[path.length - 1], JSON.readTree(q(edit.substring(eq + 1))));
                }
                return root.toString();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return type + ": " + name;
        }
    }

    private static Msg m(String type, String name, String pointer, String... edits) {
        return new Msg(name, type, pointer, List.of(edits));
    }

    /** Bad single messages; each is sent alone to its own endpoint (and some also inside a batch). */
    static List<Msg> badMessages() {
        return List.of(
                // wrong types of the main fields
                m("track", "userId is an object", "/userId", "userId={'id':'%U'}", "anonymousId='%U'"),
                m("track", "userId is an array", "/userId", "userId=['%U']", "anonymousId='%U'"),
                m("track", "userId is a boolean", "/userId", "userId=true", "anonymousId='%U'"),
                m("track", "userId is a fraction", "/userId", "userId=1.5", "anonymousId='%U'"),
                m("track", "userId is empty", "/userId", "userId=''", "anonymousId='%U'"),
                m("track", "userId longer than 200 characters", "/userId", "userId='" + "u".repeat(201) + "'", "anonymousId='%U'"),
                m("track", "anonymousId is an object", "/anonymousId", "anonymousId={'id':'x'}"),
                m("track", "event is a number", "/event", "event=42"),
                m("track", "event is empty", "/event", "event=''"),
                m("track", "event is null", "/event", "event=null"),
                m("track", "properties is an array", "/properties", "properties=['plan']"),
                m("track", "properties is a string", "/properties", "properties='plan=pro'"),
                m("identify", "traits is a string", "/traits", "traits='plan=pro'"),
                m("group", "traits is an array", "/traits", "traits=['pro']"),
                m("track", "timestamp is a number", "/timestamp", "timestamp=1704103200000"),
                m("track", "messageId is a number", "/messageId", "messageId=12345"),
                m("track", "messageId is empty", "/messageId", "messageId=''"),
                m("track", "context is a string", "/context", "context='ios'"),
                m("track", "integrations is an array", "/integrations", "integrations=['All']"),
                m("track", "products is an object", "/properties/products", "properties.products={'product_id':'sku-1'}"),
                m("track", "a product is a string", "/properties/products/0", "properties.products=['sku-1']"),
                m("track", "a product price is a string", "/properties/products/0/price", "properties.products=[{'product_id':'sku-1','price':'12.50'}]"),
                m("track", "revenue is a string", "/properties/revenue", "event='Order Completed'", "properties.revenue='12.50'"),
                m("track", "total is a string", "/properties/total", "event='Order Completed'", "properties.total='12.50'"),
                m("track", "currency has 4 letters", "/properties/currency", "event='Order Completed'", "properties.revenue=12.5", "properties.currency='EURO'"),
                m("track", "currency is a number", "/properties/currency", "event='Order Completed'", "properties.revenue=12.5", "properties.currency=978"),
                m("page", "name is a number", "/name", "name=7"),
                m("screen", "properties is a string", "/properties", "properties='home'"),
                m("group", "groupId is an object", "/groupId", "groupId={'id':'acme'}"),
                m("alias", "previousId is an array", "/previousId", "previousId=['%A']"),
                // missing identity, each type
                m("track", "neither userId nor anonymousId", "/userId", "-userId", "properties.probe='%U'"),
                m("track", "userId null and no anonymousId", "/userId", "userId=null"),
                m("identify", "neither userId nor anonymousId", "/userId", "-userId", "traits.probe='%U'"),
                m("page", "neither userId nor anonymousId", "/userId", "-userId"),
                m("screen", "neither userId nor anonymousId", "/userId", "-userId"),
                m("group", "neither userId nor anonymousId", "/userId", "-userId"),
                m("alias", "no userId", "/userId", "-userId", "previousId='%U'"),
                // missing required fields
                m("track", "no event", "/event", "-event"),
                m("alias", "no previousId", "/previousId", "-previousId"),
                m("group", "no groupId", "/groupId", "-groupId"),
                // timestamps
                m("track", "timestamp is not a date", "/timestamp", "timestamp='yesterday'"),
                m("track", "timestamp has no zone", "/timestamp", "timestamp='2024-01-01T10:00:00'"),
                m("track", "timestamp month 13", "/timestamp", "timestamp='2024-13-01T10:00:00Z'"),
                m("track", "timestamp 30 February", "/timestamp", "timestamp='2024-02-30T10:00:00Z'"),
                m("track", "timestamp is a date only", "/timestamp", "timestamp='2024-01-01'"),
                m("track", "timestamp two hours in the future", "/timestamp", "timestamp='%FUTURE'"),
                m("track", "timestamp in 2999", "/timestamp", "timestamp='2999-01-01T00:00:00Z'"),
                m("track", "timestamp before 1990", "/timestamp", "timestamp='1989-12-31T23:59:59Z'"),
                m("identify", "timestamp is not a date", "/timestamp", "timestamp='not-a-date'"),
                m("track", "originalTimestamp is not a date", "/originalTimestamp", "-timestamp", "originalTimestamp='2024-01-01 10:00'"),
                m("track", "originalTimestamp before 1990", "/originalTimestamp", "-timestamp", "originalTimestamp='1970-01-01T00:00:00Z'"),
                m("track", "sentAt is not a date", "/sentAt", "sentAt='soon'"),
                m("track", "sentAt month 13", "/sentAt", "sentAt='2024-13-01T10:00:00Z'"),
                m("track", "receivedAt is not a date", "/receivedAt", "receivedAt='now'"));
    }

    static Stream<Arguments> singleMessages() {
        return badMessages().stream().map(msg -> Arguments.of(msg.toString(), msg));
    }

    /** A representative subset, sent as the middle message of a batch between two valid ones. */
    static Stream<Arguments> batchMessages() {
        Set<String> picked = Set.of("track: userId is an object", "track: event is a number", "track: properties is an array",
                "identify: traits is a string", "track: timestamp is a number", "track: messageId is a number",
                "track: context is a string", "track: revenue is a string", "track: currency has 4 letters",
                "page: neither userId nor anonymousId", "alias: no previousId", "group: no groupId",
                "track: timestamp month 13", "track: timestamp two hours in the future", "track: timestamp before 1990",
                "track: originalTimestamp is not a date", "track: sentAt is not a date");
        return badMessages().stream().filter(msg -> picked.contains(msg.toString()))
                .map(msg -> Arguments.of("batch[1] " + msg, msg));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleMessages")
    void badSingleMessageIsRejectedAndNotStored(String name, Msg msg) {
        Ids ids = new Ids();
        String path = "/v1/" + msg.type();
        send(Api.writer(), path, ids.fill(msg.json()))
                .problem(400, "/problems/invalid-messages", path)
                .field(msg.pointer(), null)
                .member("accepted", 0).member("rejected", 1)
                .notStored(ids)
                .done();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchMessages")
    void badMessageInBatchIsRejectedOthersStored(String name, Msg msg) {
        Ids bad = new Ids();
        Ids first = new Ids();
        Ids last = new Ids();
        String body = "{\"batch\":[" + first.fill(base("track")) + "," + bad.fill(msg.json()) + "," + last.fill(base("identify")) + "]}";
        send(Api.writer(), "/v1/batch", body)
                .problem(400, "/problems/invalid-messages", "/v1/batch")
                .field("/batch/1" + msg.pointer(), 1)
                .member("accepted", 2).member("duplicates", 0).member("rejected", 1)
                .stored(first, last)
                .notStored(bad)
                .done();
    }

    // ------------------------------------------------------------------------------------------
    // Type of message vs endpoint, unknown types
    // ------------------------------------------------------------------------------------------

    static Stream<Arguments> typeConflicts() {
        return Stream.of(
                Arguments.of("/v1/track says identify", "/v1/track", "identify", "'identify'"),
                Arguments.of("/v1/identify says track", "/v1/identify", "track", "'track'"),
                Arguments.of("/v1/page says screen", "/v1/page", "screen", "'screen'"),
                Arguments.of("/v1/alias says Alias (case differs)", "/v1/alias", "alias", "'Alias'"),
                Arguments.of("/v1/track says a number", "/v1/track", "track", "5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typeConflicts")
    void typeConflictingWithEndpoint(String name, String path, String baseType, String declared) {
        Ids ids = new Ids();
        String body = ids.fill(new Msg("type conflict", baseType, "/type", List.of("type=" + declared)).json());
        send(Api.writer(), path, body)
                .problem(400, "/problems/invalid-messages", path)
                .field("/type", null)
                .notStored(ids)
                .done();
    }

    static Stream<Arguments> badTypesInBatch() {
        return Stream.of(
                Arguments.of("unknown type 'purchase'", "type='purchase'"),
                Arguments.of("no type", "-type"),
                Arguments.of("type is a number", "type=3"),
                Arguments.of("type in upper case", "type='TRACK'"));
    }

    @ParameterizedTest(name = "batch: {0}")
    @MethodSource("badTypesInBatch")
    void badTypeInBatch(String name, String edit) {
        Ids bad = new Ids();
        Ids good = new Ids();
        String body = "{\"batch\":[" + bad.fill(new Msg(name, "track", "/type", List.of(edit)).json()) + "," + good.fill(base("page")) + "]}";
        send(Api.writer(), "/v1/batch", body)
                .problem(400, "/problems/invalid-messages", "/v1/batch")
                .field("/batch/0/type", 0)
                .member("accepted", 1).member("rejected", 1)
                .stored(good)
                .notStored(bad)
                .done();
    }

    // ------------------------------------------------------------------------------------------
    // Malformed JSON and bodies that are JSON but not an object
    // ------------------------------------------------------------------------------------------

    static Stream<Arguments> malformed() {
        String track = base("track");
        String batch = "{\"batch\":[" + track + "]}";
        return Stream.of(
                Arguments.of("track: truncated", "/v1/track", track.substring(0, track.length() - 20)),
                Arguments.of("track: trailing garbage", "/v1/track", track + " garbage"),
                Arguments.of("track: two objects", "/v1/track", track + track),
                Arguments.of("track: trailing closing brace", "/v1/track", track + "}"),
                Arguments.of("track: form-encoded, not JSON", "/v1/track", "userId=%U&event=Signed+Up"),
                Arguments.of("track: single-quoted JSON", "/v1/track", track.replace('"', '\'')),
                Arguments.of("track: unquoted keys", "/v1/track", "{userId:\"%U\",event:\"Signed Up\",type:\"track\"}"),
                Arguments.of("track: empty body", "/v1/track", ""),
                Arguments.of("track: whitespace only", "/v1/track", "  \n "),
                Arguments.of("track: nesting 5000 deep", "/v1/track", track.replace("{\"plan\":\"pro\"}", "{\"deep\":" + "[".repeat(5000) + "]".repeat(5000) + "}")),
                Arguments.of("batch: truncated", "/v1/batch", batch.substring(0, batch.length() - 10)),
                Arguments.of("batch: trailing garbage", "/v1/batch", batch + ",{}"),
                Arguments.of("batch: XML", "/v1/batch", "<batch><track userId=\"%U\"/></batch>"),
                Arguments.of("batch: empty body", "/v1/batch", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedJson(String name, String path, String body) {
        Ids ids = new Ids();
        send(Api.writer(), path, ids.fill(body))
                .problem(400, "/problems/malformed-json", path)
                .notStored(ids)
                .done();
    }

    @Test
    void invalidUtf8IsMalformedJson() {
        Ids ids = new Ids();
        String json = ids.fill(base("track"));
        int cut = json.indexOf("Bad Input Probe");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        body.writeBytes(new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        body.writeBytes(json.substring(cut).getBytes(StandardCharsets.UTF_8));
        send(Api.writer(), "/v1/track", body.toByteArray())
                .problem(400, "/problems/malformed-json", "/v1/track")
                .notStored(ids)
                .done();
    }

    static Stream<Arguments> notAnObject() {
        return Stream.of(
                Arguments.of("track: JSON array", "/v1/track", "[" + base("track") + "]"),
                Arguments.of("track: JSON number", "/v1/track", "42"),
                Arguments.of("track: JSON string", "/v1/track", "\"%U\""),
                Arguments.of("track: JSON null", "/v1/track", "null"),
                Arguments.of("identify: JSON true", "/v1/identify", "true"),
                Arguments.of("batch: JSON array of messages", "/v1/batch", "[" + base("track") + "]"),
                Arguments.of("batch: JSON number", "/v1/batch", "7"),
                Arguments.of("batch: JSON string", "/v1/batch", "\"%U\""));
    }

    /** Valid JSON of the wrong shape: the body itself (pointer "") is at fault. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("notAnObject")
    void bodyIsNotAnObject(String name, String path, String body) {
        Ids ids = new Ids();
        send(Api.writer(), path, ids.fill(body))
                .problem(400, "/problems/invalid-messages", path)
                .field("", null)
                .notStored(ids)
                .done();
    }

    // ------------------------------------------------------------------------------------------
    // The batch envelope
    // ------------------------------------------------------------------------------------------

    static Stream<Arguments> badBatchField() {
        String message = base("track");
        return Stream.of(
                Arguments.of("no batch field", "{\"messages\":[" + message + "]}"),
                Arguments.of("batch is an object", "{\"batch\":" + message + "}"),
                Arguments.of("batch is a string", "{\"batch\":\"%U\"}"),
                Arguments.of("batch is null", "{\"batch\":null}"),
                Arguments.of("batch is a number", "{\"batch\":1}"));
    }

    @ParameterizedTest(name = "batch envelope: {0}")
    @MethodSource("badBatchField")
    void batchFieldIsNotAnArray(String name, String body) {
        Ids ids = new Ids();
        send(Api.writer(), "/v1/batch", ids.fill(body))
                .problem(400, "/problems/invalid-messages", "/v1/batch")
                .field("/batch", null)
                .notStored(ids)
                .done();
    }

    static Stream<Arguments> badBatchElement() {
        return Stream.of(
                Arguments.of("a number", "5"),
                Arguments.of("a string", "\"%U\""),
                Arguments.of("null", "null"),
                Arguments.of("an array holding a message", "[" + base("track") + "]"));
    }

    @ParameterizedTest(name = "batch element 0 is {0}")
    @MethodSource("badBatchElement")
    void batchElementIsNotAnObject(String name, String element) {
        Ids bad = new Ids();
        Ids good = new Ids();
        String body = "{\"batch\":[" + bad.fill(element) + "," + good.fill(base("track")) + "]}";
        send(Api.writer(), "/v1/batch", body)
                .problem(400, "/problems/invalid-messages", "/v1/batch")
                .field("/batch/0", 0)
                .member("accepted", 1).member("rejected", 1)
                .stored(good)
                .notStored(bad)
                .done();
    }

    /** The envelope's sentAt corrects every message's clock; an unparseable one must not be ignored silently. */
    @Test
    void batchEnvelopeSentAtInvalid() {
        Ids ids = new Ids();
        String body = "{\"sentAt\":\"not-a-date\",\"batch\":[" + ids.fill(base("track")) + "]}";
        send(Api.writer(), "/v1/batch", body)
                .problem(400, "/problems/invalid-messages", "/v1/batch")
                .field("/sentAt", null)
                .notStored(ids)
                .done();
    }

    /** batch.schema.json: the envelope's context must be an object. */
    @Test
    void batchEnvelopeContextNotAnObject() {
        Ids ids = new Ids();
        String body = "{\"context\":\"ios\",\"batch\":[" + ids.fill(base("track")) + "]}";
        send(Api.writer(), "/v1/batch", body)
                .problem(400, "/problems/invalid-messages", "/v1/batch")
                .field("/context", null)
                .notStored(ids)
                .done();
    }

    /** An empty batch is not an error (Segment accepts it): 200 and nothing to store. */
    @Test
    void emptyBatchIsAcceptedAndStoresNothing() {
        send(Api.writer(), "/v1/batch", "{\"batch\":[]}")
                .ok().member("success", true).member("accepted", 0).member("duplicates", 0)
                .done();
    }

    @Test
    void partlyValidBatchStoresOnlyValidMessages() {
        Ids a = new Ids();
        Ids b = new Ids();
        Ids c = new Ids();
        Ids d = new Ids();
        String body = "{\"batch\":[" + a.fill(base("track")) + ","
                + b.fill(m("track", "no event", "/event", "-event").json()) + ","
                + c.fill(base("page")) + ","
                + d.fill(m("identify", "bad timestamp", "/timestamp", "timestamp='2024-01-01T25:00:00Z'").json()) + "]}";
        send(Api.writer(), "/v1/batch", body)
                .problem(400, "/problems/invalid-messages", "/v1/batch")
                .field("/batch/1/event", 1)
                .field("/batch/3/timestamp", 3)
                .member("accepted", 2).member("duplicates", 0).member("rejected", 2)
                .stored(a, c)
                .notStored(b, d)
                .done();
    }

    // ------------------------------------------------------------------------------------------
    // Duplicates
    // ------------------------------------------------------------------------------------------

    @Test
    void duplicateMessageIdInSameBatchIsStoredOnce() {
        Ids ids = new Ids();
        String one = ids.fill(base("track"));
        String two = ids.fill(m("track", "same id, later", "/event", "timestamp='2024-01-01T11:00:00Z'").json());
        send(Api.writer(), "/v1/batch", "{\"batch\":[" + one + "," + two + "]}")
                .ok().member("accepted", 1).member("duplicates", 1)
                .storedWithMessages(ids, 1)
                .done();
    }

    @Test
    void duplicateMessageIdForAnotherUserInSameBatchIsNotStored() {
        Ids first = new Ids();
        Ids second = new Ids();
        String one = first.fill(base("track"));
        String two = second.fill(base("track")).replace(second.message, first.message);
        send(Api.writer(), "/v1/batch", "{\"batch\":[" + one + "," + two + "]}")
                .ok().member("accepted", 1).member("duplicates", 1)
                .stored(first)
                .notStored(second)
                .done();
    }

    @Test
    void resentMessageIsDuplicateAndStoredOnce() {
        Ids ids = new Ids();
        String message = ids.fill(base("track"));
        send(Api.writer(), "/v1/track", message).ok().member("accepted", 1).done();
        send(Api.writer(), "/v1/track", message)
                .ok().member("accepted", 0).member("duplicates", 1)
                .storedWithMessages(ids, 1)
                .done();
    }

    // ------------------------------------------------------------------------------------------
    // Size limits
    // ------------------------------------------------------------------------------------------

    @Test
    void oversizeSingleMessageIs413() {
        Ids ids = new Ids();
        String body = ids.fill(m("track", "40 KB", "", "properties.blob='" + "x".repeat(40_000) + "'").json());
        send(Api.writer(), "/v1/track", body)
                .problem(413, "/problems/payload-too-large", "/v1/track")
                .field("", null)
                .notStored(ids)
                .done();
    }

    @Test
    void oversizeMessageInBatchIsRejectedOthersStored() {
        Ids a = new Ids();
        Ids big = new Ids();
        Ids c = new Ids();
        String body = "{\"batch\":[" + a.fill(base("track")) + ","
                + big.fill(m("track", "40 KB", "", "properties.blob='" + "x".repeat(40_000) + "'").json()) + ","
                + c.fill(base("screen")) + "]}";
        send(Api.writer(), "/v1/batch", body)
                .problem(400, "/problems/invalid-messages", "/v1/batch")
                .field("/batch/1", 1)
                .member("accepted", 2).member("rejected", 1)
                .stored(a, c)
                .notStored(big)
                .done();
    }

    @Test
    void oversizeBatchRequestIs413AndStoresNothing() {
        List<Ids> all = new ArrayList<>();
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 25; i++) {
            Ids ids = new Ids();
            all.add(ids);
            // each message ~24 KB: valid on its own, 600 KB together
            body.append(i == 0 ? "" : ",").append(ids.fill(m("track", "24 KB", "", "properties.blob='" + "y".repeat(24_000) + "'").json()));
        }
        body.append("]}");
        send(Api.writer(), "/v1/batch", body.toString())
                .problem(413, "/problems/payload-too-large", "/v1/batch")
                .notStored(all.toArray(Ids[]::new))
                .done();
    }

    @Test
    void oversizeSingleRequestIs413() {
        Ids ids = new Ids();
        String body = ids.fill(m("track", "600 KB", "", "properties.blob='" + "z".repeat(600_000) + "'").json());
        send(Api.writer(), "/v1/track", body)
                .problem(413, "/problems/payload-too-large", "/v1/track")
                .notStored(ids)
                .done();
    }

    // ------------------------------------------------------------------------------------------
    // Authentication and authorisation
    // ------------------------------------------------------------------------------------------

    static Stream<Arguments> unauthenticated() {
        String basicUnknown = "Basic " + b64("not-a-key:");
        String basicKeyAsPassword = "Basic " + b64(":" + Api.WRITE_KEY);
        return Stream.of(
                Arguments.of("track: no Authorization", "/v1/track", null),
                Arguments.of("batch: no Authorization", "/v1/batch", null),
                Arguments.of("track: unknown Bearer key", "/v1/track", "Bearer not-a-key"),
                Arguments.of("track: unknown Basic key", "/v1/track", basicUnknown),
                Arguments.of("batch: write key sent as Basic password", "/v1/batch", basicKeyAsPassword),
                Arguments.of("track: Basic credentials not base64", "/v1/track", "Basic %%%not-base64%%%"),
                Arguments.of("track: unsupported scheme", "/v1/track", "Token " + Api.WRITE_KEY),
                Arguments.of("track: bare key without scheme", "/v1/track", Api.WRITE_KEY),
                Arguments.of("track: Bearer without key", "/v1/track", "Bearer"),
                Arguments.of("identify: Bearer with a blank key", "/v1/identify", "Bearer    "),
                Arguments.of("track: write key with a trailing character", "/v1/track", "Bearer " + Api.WRITE_KEY + "x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unauthenticated")
    void unauthenticatedIs401(String name, String path, String authorization) {
        Ids ids = new Ids();
        RequestSpecification spec = RestAssured.given().contentType("application/json");
        if (authorization != null) {
            spec = spec.header("Authorization", authorization);
        }
        String type = path.substring("/v1/".length());
        String body = "batch".equals(type) ? "{\"batch\":[" + ids.fill(base("track")) + "]}" : ids.fill(base(type));
        send(spec, path, body)
                .problem(401, "/problems/unauthorized", path)
                .header("WWW-Authenticate", startsWith("Basic"))
                .notStored(ids)
                .done();
    }

    @Test
    void readKeyOnTrackIs403() {
        Ids ids = new Ids();
        send(RestAssured.given().header("Authorization", "Bearer " + Api.READ_KEY).contentType("application/json"),
                "/v1/track", ids.fill(base("track")))
                .problem(403, "/problems/forbidden", "/v1/track")
                .notStored(ids)
                .done();
    }

    @Test
    void readKeyAsBasicOnBatchIs403() {
        Ids ids = new Ids();
        send(RestAssured.given().auth().preemptive().basic(Api.READ_KEY, "").contentType("application/json"),
                "/v1/batch", "{\"batch\":[" + ids.fill(base("identify")) + "]}")
                .problem(403, "/problems/forbidden", "/v1/batch")
                .notStored(ids)
                .done();
    }

    @Test
    void ingestKeyCannotReadProfiles() {
        String path = "/v1/users/" + fresh("u");
        get(Api.writer(), path).problem(403, "/problems/forbidden", path).done();
    }

    @Test
    void ingestKeyCannotReadStages() {
        get(Api.writer(), "/v1/stages").problem(403, "/problems/forbidden", "/v1/stages").done();
    }

    @Test
    void noKeyCannotReadProfiles() {
        String path = "/v1/users/" + fresh("u");
        get(RestAssured.given(), path)
                .problem(401, "/problems/unauthorized", path)
                .header("WWW-Authenticate", startsWith("Basic"))
                .done();
    }

    @Test
    void unknownUserIs404() {
        String user = fresh("nobody");
        get(Api.reader(), "/v1/users/" + user)
                .problem(404, "/problems/unknown-user", "/v1/users/" + user)
                .member("userId", user)
                .done();
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /** Fresh ids for one message. */
    static final class Ids {
        final String user = fresh("u");
        final String other = fresh("a");
        final String message = fresh("m");

        String fill(String template) {
            return template.replace("%U", user).replace("%A", other).replace("%M", message)
                    .replace("%FUTURE", Instant.now().plus(2, ChronoUnit.HOURS).toString());
        }

        String[] all() {
            return new String[]{user, other};
        }
    }

    private static String fresh(String label) {
        return "bad-" + RUN + "-" + label + "-" + SEQ.incrementAndGet();
    }

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Verdict send(RequestSpecification spec, String path, String body) {
        return send(spec, path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Verdict send(RequestSpecification spec, String path, byte[] body) {
        long mark = writes.mark();
        Response response = spec.body(body).post(path);
        return new Verdict("POST " + path, new String(body, StandardCharsets.UTF_8), response, mark);
    }

    private static Verdict get(RequestSpecification spec, String path) {
        return new Verdict("GET " + path, "", spec.get(path), writes.mark());
    }

    /**
     * Collects every discrepancy of one case (response and storage) and reports them together with
     * the request and the observed response, so one wrong member does not hide the others.
     */
    static final class Verdict {
        final String request;
        final String requestBody;
        final Response response;
        final JsonNode json;
        final List<String> failures = new ArrayList<>();
        /** The event store's position before the request. */
        final long mark;

        Verdict(String request, String requestBody, Response response, long mark) {
            this.mark = mark;
            this.request = request;
            this.requestBody = requestBody;
            this.response = response;
            JsonNode parsed;
            try {
                parsed = JSON.readTree(response.asByteArray());
            } catch (Exception e) {
                parsed = null;
            }
            this.json = parsed;
        }

        Verdict check(String what, Object actual, Matcher<?> matcher) {
            if (!matcher.matches(actual)) {
                failures.add(what + ": expected " + StringDescription.toString(matcher) + ", was " + actual);
            }
            return this;
        }

        Object member(String name) {
            if (json == null || !json.has(name)) {
                return null;
            }
            JsonNode node = json.get(name);
            return node.isNumber() ? (Object) node.intValue() : node.isTextual() ? node.asText() : node.isBoolean() ? node.asBoolean() : node.toString();
        }

        /** RFC 7807: status, media type, type, title, status member, detail and instance. */
        Verdict problem(int status, String type, String instance) {
            check("HTTP status", response.statusCode(), equalTo(status));
            check("Content-Type", response.contentType(), startsWith("application/problem+json"));
            check("type", member("type"), equalTo(type));
            check("title", member("title"), notNullValue());
            check("status member", member("status"), equalTo(status));
            check("detail", member("detail"), notNullValue());
            check("instance", member("instance"), equalTo(instance));
            return this;
        }

        Verdict ok() {
            check("HTTP status", response.statusCode(), equalTo(200));
            return this;
        }

        Verdict member(String name, Object expected) {
            return check(name, member(name), equalTo(expected));
        }

        Verdict header(String name, Matcher<?> matcher) {
            return check("header " + name, response.header(name), matcher);
        }

        /** The problem names the field; in a batch also the message's index, for a single message no index. */
        Verdict field(String pointer, Integer index) {
            JsonNode errors = json == null ? null : json.get("errors");
            if (errors == null || !errors.isArray() || errors.isEmpty()) {
                failures.add("errors: expected an array naming " + pointer + ", was " + errors);
                return this;
            }
            List<JsonNode> named = new ArrayList<>();
            errors.forEach(e -> {
                if (pointer.equals(e.path("pointer").asText(null))) {
                    named.add(e);
                }
                if (!e.path("detail").isTextual()) {
                    failures.add("error without detail: " + e);
                }
                if (index == null && e.has("index")) {
                    failures.add("error of a single-message request has an index: " + e);
                }
            });
            if (named.isEmpty()) {
                failures.add("errors[].pointer: expected one to be \"" + pointer + "\", were " + errors);
            }
            for (JsonNode e : named) {
                if (index != null && !(e.path("index").isInt() && e.get("index").intValue() == index)) {
                    failures.add("errors[].index of " + pointer + ": expected " + index + ", was " + e.get("index"));
                }
            }
            return this;
        }

        /**
         * Each message is stored once (its claim and one event in its user's stream, read at once: the request committed
         * before it answered); the profile sweep later also requires the users' profiles.
         */
        Verdict stored(Ids... messages) {
            return storedEach(null, messages);
        }

        /** As {@link #stored}, and the profile counts exactly {@code count} messages (null: any). */
        Verdict storedWithMessages(Ids message, Integer count) {
            return storedEach(count, message);
        }

        private Verdict storedEach(Integer count, Ids... messages) {
            for (Ids ids : messages) {
                failures.addAll(writes.storedOnce(ids.user, ids.message));
                SWEEP.known(caseName, ids.user, count);
            }
            return this;
        }

        /**
         * Nothing of these messages was written (read at once, see {@link WritePath#nothingOf}); the profile sweep later
         * also requires their ids to stay unknown to the read API.
         */
        Verdict notStored(Ids... messages) {
            List<String> ids = new ArrayList<>();
            for (Ids m : messages) {
                ids.addAll(List.of(m.user, m.other, m.message));
                SWEEP.unknown(caseName, m.user);
                SWEEP.unknown(caseName, m.other);
            }
            failures.addAll(writes.nothingOf(mark, ids));
            return this;
        }

        void done() {
            if (!failures.isEmpty()) {
                String body = response.asString();
                throw new AssertionError(String.join("\n  - ", List.of(
                        "bad-input case failed: " + request,
                        "request body: " + abbreviate(requestBody, 300),
                        "observed: " + response.statusLine() + " Content-Type=" + response.contentType()
                                + (response.header("WWW-Authenticate") == null ? "" : " WWW-Authenticate=" + response.header("WWW-Authenticate"))
                                + " body=" + abbreviate(body, 1200)))
                        + "\n  discrepancies:\n  - " + String.join("\n  - ", failures));
            }
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...(" + text.length() + " chars)";
    }
}
