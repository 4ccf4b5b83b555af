package io.ulm.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.ulm.support.E2e.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint against every kind of credential: no key, an unknown key (Bearer and Basic), and
 * the write, read and admin keys, each sent the Segment way (HTTP Basic, key as user name) and as a
 * Bearer token. Allowed calls succeed; missing or unknown keys get a 401 problem with a challenge;
 * known keys without the role get a 403 problem; a refused ingest or import stores nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AccessControlTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static volatile String knownUser;

    @Inject
    DataSource db;

    /** A credential and the roles it carries. */
    enum Credential {
        NONE(null, Set.of()),
        UNKNOWN_BEARER("Bearer not-a-key-" + RUN, Set.of()),
        UNKNOWN_BASIC(basic("not-a-key-" + RUN), Set.of()),
        WRITE_BASIC(basic(Api.WRITE_KEY), Set.of("ingest")),
        WRITE_BEARER("Bearer " + Api.WRITE_KEY, Set.of("ingest")),
        READ_BASIC(basic(Api.READ_KEY), Set.of("read")),
        READ_BEARER("Bearer " + Api.READ_KEY, Set.of("read")),
        ADMIN_BASIC(basic(Api.ADMIN_KEY), Set.of("admin", "read", "ingest")),
        ADMIN_BEARER("Bearer " + Api.ADMIN_KEY, Set.of("admin", "read", "ingest"));

        final String authorization;
        final Set<String> roles;

        Credential(String authorization, Set<String> roles) {
            this.authorization = authorization;
            this.roles = roles;
        }

        boolean known() {
            return !roles.isEmpty();
        }
    }

    private static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    /** What a request stores, to check afterwards: a messageId in ingest_message, or a user id. */
    record Marker(String column, String value) {
    }

    /** A request to send: method, path, content type, body, and what it would store. */
    record Call(String method, String path, String contentType, String body, Marker marker) {
    }

    /** An endpoint and the roles that may call it; {@code call} makes a fresh request each time. */
    record Endpoint(String name, Set<String> roles, Function<String, Call> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String fresh(String what) {
        return "ac-" + RUN + "-" + what + "-" + SEQ.incrementAndGet();
    }

    private static Instant recent() {
        return Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
    }

    private static Endpoint ingest(String type) {
        return new Endpoint("POST /v1/" + type, Set.of("ingest"), credential -> {
            String messageId = fresh("m");
            String user = fresh("u");
            String message = switch (type) {
                case "track" -> obj("messageId", messageId, "userId", user, "event", "Access Probe", "timestamp", recent()).toString();
                case "identify" -> obj("messageId", messageId, "userId", user, "traits", obj("plan", "pro"), "timestamp", recent()).toString();
                case "page", "screen" -> obj("messageId", messageId, "userId", user, "name", "Home", "timestamp", recent()).toString();
                case "alias" -> obj("messageId", messageId, "userId", user, "previousId", fresh("prev"), "timestamp", recent()).toString();
                case "group" -> obj("messageId", messageId, "userId", user, "groupId", fresh("g"), "timestamp", recent()).toString();
                case "batch" -> obj("batch", E2e.arr(obj("type", "track", "messageId", messageId, "userId", user,
                        "event", "Access Probe", "timestamp", recent()))).toString();
                default -> throw new IllegalArgumentException(type);
            };
            return new Call("POST", "/v1/" + type, "application/json", message, new Marker("message_id", messageId));
        });
    }

    static List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String type : List.of("batch", "track", "identify", "page", "screen", "alias", "group")) {
            endpoints.add(ingest(type));
        }
        endpoints.add(new Endpoint("GET /v1/users/{id}", Set.of("read", "admin"),
                credential -> new Call("GET", "/v1/users/" + knownUser, null, null, null)));
        endpoints.add(new Endpoint("GET /v1/stages", Set.of("read", "admin"),
                credential -> new Call("GET", "/v1/stages", null, null, null)));
        endpoints.add(new Endpoint("GET /v1/admin/projections", Set.of("admin"),
                credential -> new Call("GET", "/v1/admin/projections", null, null, null)));
        endpoints.add(new Endpoint("POST /v1/import", Set.of("admin"), credential -> {
            String messageId = fresh("m");
            String line = obj("type", "track", "messageId", messageId, "userId", fresh("u"), "event", "Imported Probe",
                    "timestamp", "2024-03-01T10:00:00Z").toString();
            return new Call("POST", "/v1/import", "application/x-ndjson", line + "\n", new Marker("message_id", messageId));
        }));
        endpoints.add(new Endpoint("POST /v1/import/csv", Set.of("admin"), credential -> {
            long customer = ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
            long invoice = ThreadLocalRandom.current().nextLong(90_000_000L, 99_999_999L);
            String csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                    + invoice + ",85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55," + customer + ".0,United Kingdom\n";
            return new Call("POST", "/v1/import/csv?mapping=online-retail", "text/csv", csv, new Marker("user_id", Long.toString(customer)));
        }));
        return endpoints;
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Credential credential : Credential.values()) {
                cases.add(Arguments.of(endpoint.name() + " with " + credential, endpoint, credential));
            }
        }
        return cases.stream();
    }

    /** A user that exists, for the profile endpoint (created once, through the admin key). */
    private void ensureKnownUser() {
        if (knownUser != null) {
            return;
        }
        synchronized (AccessControlTest.class) {
            if (knownUser == null) {
                String user = fresh("known");
                E2e.Reply r = E2e.post(Api.ADMIN_KEY, "/v1/track", obj("messageId", fresh("m"), "userId", user,
                        "event", "Access Probe", "timestamp", recent()));
                assertThat(r.status()).as("seed message: %s", r).isEqualTo(200);
                E2e.awaitProfile(Api.READ_KEY, user, p -> p.path("messages").asLong() >= 1);
                knownUser = user;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void accessMatrix(String name, Endpoint endpoint, Credential credential) {
        ensureKnownUser();
        Call call = endpoint.call().apply(credential.name());
        RequestSpecification spec = RestAssured.given();
        if (credential.authorization != null) {
            spec = spec.header("Authorization", credential.authorization);
        }
        if (call.contentType() != null) {
            spec = spec.contentType(call.contentType());
        }
        if (call.body() != null) {
            spec = spec.body(call.body().getBytes(StandardCharsets.UTF_8));
        }
        E2e.Reply r = E2e.reply("GET".equals(call.method()) ? spec.get(call.path()) : spec.post(call.path()));
        String instance = call.path().contains("?") ? call.path().substring(0, call.path().indexOf('?')) : call.path();

        SoftAssertions s = new SoftAssertions();
        boolean allowed = credential.roles.stream().anyMatch(endpoint.roles()::contains);
        if (!credential.known()) {
            s.assertThat(r.status()).as("status: %s", r).isEqualTo(401);
            problem(s, r, 401, "/problems/unauthorized", "Unauthorized", instance);
            s.assertThat(r.wwwAuthenticate()).as("WWW-Authenticate").isNotNull();
            if (r.wwwAuthenticate() != null) {
                s.assertThat(r.wwwAuthenticate()).as("WWW-Authenticate").contains("Basic").contains("Bearer");
            }
        } else if (!allowed) {
            s.assertThat(r.status()).as("status: %s", r).isEqualTo(403);
            problem(s, r, 403, "/problems/forbidden", "Forbidden", instance);
        } else {
            s.assertThat(r.status()).as("status: %s", r).isEqualTo(200);
            s.assertThat(r.contentType()).as("content type").startsWith("application/json");
            successBody(s, endpoint, r);
        }
        if (call.marker() != null) {
            long stored = E2e.count(db, "SELECT count(*) FROM ingest_message WHERE " + call.marker().column() + " = ?", call.marker().value());
            s.assertThat(stored).as("messages stored with %s = %s", call.marker().column(), call.marker().value())
                    .isEqualTo(allowed ? (call.path().startsWith("/v1/import/csv") ? 2 : 1) : 0);
        }
        s.assertAll();
    }

    private void successBody(SoftAssertions s, Endpoint endpoint, E2e.Reply r) {
        JsonNode b = r.body();
        if (endpoint.name().startsWith("POST /v1/import")) {
            s.assertThat(b.path("stored").asLong(-1)).as("import stored: %s", r).isGreaterThanOrEqualTo(1);
            s.assertThat(b.path("rejected").asLong(-1)).as("import rejected: %s", r).isZero();
        } else if (endpoint.name().startsWith("POST")) {
            s.assertThat(b.path("success").asBoolean()).as("success: %s", r).isTrue();
            s.assertThat(b.path("accepted").asInt(-1)).as("accepted: %s", r).isEqualTo(1);
        } else if (endpoint.name().equals("GET /v1/admin/projections")) {
            s.assertThat(b.isObject()).as("projection status: %s", r).isTrue();
        } else if (endpoint.name().equals("GET /v1/stages")) {
            s.assertThat(b.path("total").isNumber()).as("stages.total: %s", r).isTrue();
            s.assertThat(b.path("stages").path("ACQUIRED").isNumber()).as("stages.ACQUIRED: %s", r).isTrue();
        } else {
            s.assertThat(b.path("userId").asText()).as("profile userId: %s", r).isEqualTo(knownUser);
        }
    }

    private static void problem(SoftAssertions s, E2e.Reply r, int status, String type, String title, String instance) {
        s.assertThat(r.contentType()).as("content type of %s", r).startsWith("application/problem+json");
        s.assertThat(r.body().path("type").asText()).as("problem type: %s", r).isEqualTo(type);
        s.assertThat(r.body().path("status").asInt()).as("problem status: %s", r).isEqualTo(status);
        s.assertThat(r.body().path("title").asText()).as("problem title: %s", r).isEqualTo(title);
        s.assertThat(r.body().path("detail").asText("")).as("problem detail: %s", r).isNotBlank();
        s.assertThat(r.body().path("instance").asText()).as("problem instance: %s", r).isEqualTo(instance);
    }

    // ------------------------------------------------------------------------------------------
    // Open endpoints
    // ------------------------------------------------------------------------------------------

    @Test
    void healthIsOpen() {
        SoftAssertions s = new SoftAssertions();
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready")) {
            E2e.Reply r = E2e.reply(RestAssured.given().get(path));
            s.assertThat(r.status()).as("GET %s without a key: %s", path, r).isEqualTo(200);
            s.assertThat(r.body().path("status").asText()).as("GET %s status: %s", path, r).isEqualTo("UP");
        }
        s.assertAll();
    }

    @Test
    void openApiIsReachableAndListsEveryEndpoint() {
        E2e.Reply r = E2e.reply(RestAssured.given().accept("application/json").get("/q/openapi?format=json"));
        assertThat(r.status()).as("GET /q/openapi: %s", r.status()).isEqualTo(200);
        JsonNode paths = r.body().path("paths");
        SoftAssertions s = new SoftAssertions();
        for (String path : List.of("/v1/batch", "/v1/track", "/v1/identify", "/v1/page", "/v1/screen", "/v1/alias", "/v1/group",
                "/v1/users/{id}", "/v1/stages", "/v1/import", "/v1/import/csv", "/v1/admin/projections")) {
            s.assertThat(paths.has(path)).as("OpenAPI documents %s", path).isTrue();
        }
        s.assertAll();
        E2e.Reply yaml = E2e.reply(RestAssured.given().get("/q/openapi"));
        assertThat(yaml.status()).as("GET /q/openapi (default format)").isEqualTo(200);
        assertThat(yaml.raw()).contains("/v1/batch");
    }
}
