package io.ulm.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import io.ulm.platform.privacy.PersonalData;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.function.UnaryOperator;

/** {@code GET /v1/users/{id}/timeline}: why a user is where she is, from the event log (docs/audit.md). */
@Path("/v1")
@Tag(name = "Audit", description = "Timelines and past profiles, rebuilt from the event log (role: read)")
@RolesAllowed({"read", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class TimelineResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    static final String EXAMPLE = """
            {"userId": "ada", "events": 9, "entries": [
              {"sequence": 0, "at": "2024-03-01T10:00:00Z", "storedAt": "2024-03-01T10:00:00.114Z", "type": "ActivityRecorded",
               "messageId": "m-1", "late": false, "summary": "page \\"Home\\"",
               "transitions": [{"sequence": 2, "at": "2024-03-01T10:00:00Z", "storedAt": "2024-03-01T10:00:00.114Z",
                 "from": null, "to": "ACQUIRED", "ruleId": "acquired", "evidence": {"firstMessageId": "m-1"}}],
               "payload": {"userId": "ada", "messageId": "m-1", "type": "page", "event": "Home", "at": "2024-03-01T10:00:00Z"}},
              {"sequence": 1, "at": "2024-03-01T10:00:00Z", "storedAt": "2024-03-01T10:00:00.114Z", "type": "UserAcquired",
               "messageId": "m-1", "late": false, "summary": "acquired: first message m-1", "transitions": [],
               "payload": {"userId": "ada", "at": "2024-03-01T10:00:00Z", "messageId": "m-1"}},
              {"sequence": 3, "at": "2024-03-01T11:00:00Z", "storedAt": "2024-03-01T11:00:00.051Z", "type": "TraitsUpdated",
               "messageId": "m-2", "late": false, "summary": "identify: traits email, plan", "transitions": [],
               "payload": {"userId": "ada", "messageId": "m-2", "at": "2024-03-01T11:00:00Z",
                           "traits": {"email": "[personal]", "plan": "pro"}}},
              {"sequence": 6, "at": "2024-03-03T09:30:00Z", "storedAt": "2024-03-03T09:30:00.270Z", "type": "ActivityRecorded",
               "messageId": "m-4", "late": false, "summary": "track \\"Order Completed\\": revenue 30 GBP; items sku-7",
               "transitions": [{"sequence": 7, "at": "2024-03-03T09:30:00Z", "storedAt": "2024-03-03T09:30:00.270Z",
                 "from": "ENGAGED", "to": "MONETIZED", "ruleId": "monetized", "evidence": {"purchaseMessageId": "m-4"}}],
               "payload": {"userId": "ada", "messageId": "m-4", "type": "track", "event": "Order Completed", "revenue": 30}},
              {"sequence": 8, "at": "2024-04-02T09:30:00Z", "storedAt": "2024-04-20T08:00:05.002Z", "type": "StageChanged",
               "messageId": null, "late": false, "summary": "MONETIZED -> AT_RISK by rule at_risk (inactivity)",
               "transitions": [{"sequence": 8, "at": "2024-04-02T09:30:00Z", "storedAt": "2024-04-20T08:00:05.002Z",
                 "from": "MONETIZED", "to": "AT_RISK", "ruleId": "at_risk",
                 "evidence": {"lastActivityAt": "2024-03-03T09:30:00Z", "inactiveFor": "PT720H"}}],
               "payload": {"userId": "ada", "from": "MONETIZED", "to": "AT_RISK", "at": "2024-04-02T09:30:00Z", "ruleId": "at_risk"}}],
             "next": 8}""";

    private final AuditLog log;
    private final WinbackReturns winbackReturns;
    private final PersonalData personalData;
    private final SecurityIdentity identity;

    TimelineResource(AuditLog log, PersonalData personalData, SecurityIdentity identity, WinbackReturns winbackReturns) {
        this.log = log;
        this.winbackReturns = winbackReturns;
        this.personalData = personalData;
        this.identity = identity;
    }

    @GET
    @Path("/users/{id}/timeline")
    @Blocking
    @APIResponse(responseCode = "200", description = "A page of the timeline", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "timeline", value = EXAMPLE)))
    @APIResponse(responseCode = "400", description = "A bad limit or after", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "bad limit", value = "{\"type\":\"/problems/invalid-parameter\",\"title\":\"Invalid parameter\","
                    + "\"status\":400,\"detail\":\"limit must be a whole number from 1 to 1000\",\"instance\":\"/v1/users/ada/timeline\","
                    + "\"parameter\":\"limit\"}")))
    @APIResponse(responseCode = "404", description = "No such user", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "unknown", value = "{\"type\":\"/problems/unknown-user\",\"title\":\"Unknown user\",\"status\":404,"
                    + "\"detail\":\"No user with id 'bob' has sent any message\",\"instance\":\"/v1/users/bob/timeline\",\"userId\":\"bob\"}")))
    @Operation(summary = "A user's timeline: every event, with the stage transitions each message caused",
            description = "Every event of the user's log in event-time order: each message (type, event name, trait names, link) with "
                    + "the stage transitions it caused (rule id and evidence), inactivity transitions at the instant their threshold "
                    + "was crossed, and any other event (e.g. segment entries) with its payload. Personal values are masked for read "
                    + "keys and decrypted for admin keys. Paged: pass the answer's next as after. The id resolves as for GET /v1/users/{id}.")
    public Timeline.Page timeline(@PathParam("id") String id,
                                  @Parameter(description = "At most this many entries (1 to 1000, default 100)", example = "100")
                                  @QueryParam("limit") String limit,
                                  @Parameter(description = "Continue after the entry with this sequence number (the previous page's next)",
                                          example = "8")
                                  @QueryParam("after") String after) {
        int max = limit == null ? DEFAULT_LIMIT : (int) number("limit", limit, 1, MAX_LIMIT, "a whole number from 1 to " + MAX_LIMIT);
        Long from = after == null ? null : number("after", after, 0, Long.MAX_VALUE, "the sequence number of a timeline entry");
        String userId = log.resolve(id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-user", "Unknown user",
                "No user with id '" + id + "' has sent any message").with("userId", id)));
        UnaryOperator<JsonNode> show = identity.hasRole("admin")
                ? node -> PersonalValues.reveal(personalData, userId, node)
                : PersonalValues::mask;
        try {
            Timeline.Page page = Timeline.page(userId, log.events(userId), from, max, show);
            WinbackReturns.Episodes episodes = winbackReturns.of(userId);
            if (episodes.isEmpty()) {
                return page;
            }
            return new Timeline.Page(page.userId(), page.events(), page.entries().stream().map(episodes::attribute).toList(),
                    page.next());
        } catch (Timeline.UnknownPosition e) {
            throw invalid("after", "after must be the sequence number of a timeline entry (a page's next): " + e.getMessage());
        }
    }

    private static long number(String name, String text, long min, long max, String expected) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(name, name + " must be " + expected + ", not '" + text + "'");
    }

    private static ProblemException invalid(String name, String detail) {
        return new ProblemException(Problem.of(400, "invalid-parameter", "Invalid parameter", detail).with("parameter", name));
    }
}
