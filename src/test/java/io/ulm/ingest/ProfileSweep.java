package io.ulm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import io.ulm.support.Api;
import io.ulm.support.E2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.equalTo;

/**
 * The read side of many ingestion cases, checked once for all of them: which users must have a profile (optionally
 * with an exact message count) and which ids must stay unknown ({@code GET /v1/users/{id}} 404).
 *
 * <p>Proving "unknown" without sleeping: a batch of valid sentinel tracks for fresh users is sent last, and once every
 * sentinel's profile is visible the projection has moved past every earlier request (it processes the log in order per
 * segment; several sentinels reach every segment with overwhelming probability). One sweep for a whole test class costs
 * one projection wait instead of one or two per case.
 */
final class ProfileSweep {

    private static final int SENTINELS = 8;

    private record Expectation(String caseName, String id, boolean known, Integer messages) {
    }

    private final List<Expectation> expectations = new ArrayList<>();
    private final Supplier<String> freshId;
    private final String timestamp;

    /** @param freshId new user ids for the sentinels; @param timestamp their messages' timestamp */
    ProfileSweep(Supplier<String> freshId, String timestamp) {
        this.freshId = freshId;
        this.timestamp = timestamp;
    }

    /** {@code user} must end with a profile; with exactly {@code messages} messages unless that is null. */
    synchronized void known(String caseName, String user, Integer messages) {
        expectations.add(new Expectation(caseName, user, true, messages));
    }

    /** {@code id} must never get a profile. */
    synchronized void unknown(String caseName, String id) {
        expectations.add(new Expectation(caseName, id, false, null));
    }

    synchronized boolean isEmpty() {
        return expectations.isEmpty();
    }

    /** Sends the sentinels, waits for them and the known users, then checks everything; the discrepancies by case. */
    synchronized List<String> verify() {
        List<String> sentinels = Stream.generate(freshId).limit(SENTINELS).toList();
        String batch = sentinels.stream()
                .map(s -> "{\"type\":\"track\",\"messageId\":\"m-" + s + "\",\"userId\":\"" + s + "\",\"event\":\"Sentinel\",\"timestamp\":\"" + timestamp + "\"}")
                .collect(Collectors.joining(",", "{\"batch\":[", "]}"));
        Api.writer().body(batch).post("/v1/batch").then().statusCode(200).body("accepted", equalTo(SENTINELS));
        Map<String, Predicate<JsonNode>> visible = new LinkedHashMap<>();
        sentinels.forEach(s -> visible.put(s, p -> true));
        expectations.stream().filter(Expectation::known).forEach(e -> visible.put(e.id(), p -> true));
        List<String> failures = new ArrayList<>();
        try {
            E2e.awaitProfiles(Api.READ_KEY, visible);
        } catch (AssertionError e) {
            failures.add("sentinels or expected profiles never appeared: " + e.getMessage());
            return failures;
        }
        for (Expectation e : expectations) {
            Response r = Api.reader().get("/v1/users/" + e.id());
            if (!e.known() && r.statusCode() != 404) {
                failures.add(e.caseName() + ": expected nothing stored, but GET /v1/users/" + e.id() + " -> " + r.statusCode() + " " + r.asString());
            }
            if (e.known() && e.messages() != null) {
                Object messages = r.statusCode() == 200 ? r.jsonPath().get("messages") : r.statusCode() + " " + r.asString();
                if (!e.messages().equals(messages)) {
                    failures.add(e.caseName() + ": profile messages of " + e.id() + ": expected " + e.messages() + ", was " + messages);
                }
            }
        }
        expectations.clear();
        return failures;
    }
}
