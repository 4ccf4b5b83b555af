package io.ulm.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.ulm.audit.AsOfProfiles;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Segments: definitions and sizes, members, a user's segments (also as of a date), clusters. */
@Path("/v1")
@Tag(name = "Segments", description = "RFM, rule and cluster segments (role: read). docs/segments.md")
@RolesAllowed({"read", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    private static final String PROBLEM = "application/problem+json";

    private final SegmentQueries queries;
    private final SegmentCatalog catalog;
    private final AsOfProfiles asOf;

    SegmentResource(SegmentQueries queries, SegmentCatalog catalog, AsOfProfiles asOf) {
        this.queries = queries;
        this.catalog = catalog;
        this.asOf = asOf;
    }

    @GET
    @Path("/segments")
    @Operation(summary = "Every segment: definition and size", description = "The 11 RFM segments, the YAML rule segments "
            + "(projections/segments/), the clusters of the latest clustering run, with their current sizes and the last evaluation.")
    @APIResponse(responseCode = "200", description = "Segments", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "online-retail", value = SegmentExamples.SEGMENTS)))
    public Uni<Map<String, Object>> segments() {
        return queries.overview().map(catalog::overview);
    }

    @GET
    @Path("/segments/clusters")
    @Operation(summary = "The behavioural clusters, described in original units", description = "k-means++ (k chosen by "
            + "silhouette) centroids and DBSCAN medoids of the latest clustering run, with sizes, the silhouette of every k tried, "
            + "the features and their scaling.")
    @APIResponse(responseCode = "200", description = "Clusters", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "online-retail", value = SegmentExamples.CLUSTERS)))
    public Uni<Map<String, Object>> clusters() {
        return queries.overview().map(SegmentCatalog::clusters);
    }

    @GET
    @Path("/segments/{id}/members")
    @Operation(summary = "A segment's members, by user id (keyset pagination)", description = "Members in user-id order (byte "
            + "order), each with since (event time of the entry), the evaluation that found it, reason and evidence. Pass the "
            + "answer's next as after for the following page; next is absent on the last page.")
    @APIResponse(responseCode = "200", description = "A page of members", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "champions", value = SegmentExamples.MEMBERS)))
    @APIResponse(responseCode = "404", description = "No such segment", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "unknown", value = SegmentExamples.UNKNOWN_SEGMENT)))
    @APIResponse(responseCode = "400", description = "A bad limit", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "bad limit", value = SegmentExamples.BAD_LIMIT)))
    public Uni<Map<String, Object>> members(@Parameter(description = "Segment id, e.g. rfm:champions", example = "rfm:champions")
                                            @PathParam("id") String id,
                                            @Parameter(description = "Return members with a user id after this one (the previous page's next)")
                                            @QueryParam("after") String after,
                                            @Parameter(description = "Page size, 1-1000 (default 100)") @QueryParam("limit") String limit) {
        int size = limit(limit);
        return queries.members(id, after == null ? "" : after, size + 1).map(rows -> {
            if (rows.isEmpty() && !catalog.known(id)) {
                throw new ProblemException(Problem.of(404, "unknown-segment", "Unknown segment", "No segment '" + id
                        + "': see GET /v1/segments").with("segmentId", id));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("segmentId", id);
            List<SegmentQueries.Membership> page = rows.subList(0, Math.min(size, rows.size()));
            body.put("members", page.stream().map(m -> SegmentCatalog.member(null, m.userId(), m.since(), m.evaluation(), m.reason(), m.evidence())).toList());
            if (rows.size() > size) {
                body.put("next", page.get(page.size() - 1).userId());
            }
            return body;
        });
    }

    @GET
    @Path("/users/{id}/segments")
    @Operation(summary = "A user's segments, now or as of an instant", description = "Current memberships from the segment "
            + "read model; with asOf, rebuilt from the event log: the entries and exits dated at or before it (docs/audit.md).")
    @APIResponse(responseCode = "200", description = "Her segments", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "user", value = SegmentExamples.USER)))
    @APIResponse(responseCode = "404", description = "No such user", content = @Content(mediaType = PROBLEM,
            examples = @ExampleObject(name = "unknown", value = SegmentExamples.UNKNOWN_USER)))
    public Uni<Map<String, Object>> user(@PathParam("id") String id,
                                         @Parameter(description = "An RFC 3339 instant: her segments as they were then", example = "2011-12-09T12:50:00Z")
                                         @QueryParam("asOf") String at, @Context UriInfo uri) {
        if (at != null || uri.getQueryParameters().containsKey("asOf")) {
            java.time.Instant instant = AsOfProfiles.parse(at == null ? "" : at);
            return asOf.segments(id, instant).map(s -> SegmentCatalog.user(s.userId(), s.segments().stream()
                    .map(m -> SegmentCatalog.member(m.segmentId(), null, m.since(), m.evaluation(), m.reason(), m.evidence())).toList(),
                    instant));
        }
        return queries.user(id).map(u -> {
            if (!u.known()) {
                throw new ProblemException(Problem.of(404, "unknown-user", "Unknown user",
                        "No user with id '" + id + "' has sent any message").with("userId", id));
            }
            return SegmentCatalog.user(u.userId(), u.segments().stream().map(m -> SegmentCatalog.member(m.segmentId(), null,
                    m.since(), m.evaluation(), m.reason(), m.evidence())).toList(), null);
        });
    }

    private static int limit(String text) {
        if (text == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProblemException(Problem.of(400, "invalid-parameter", "Invalid parameter",
                "limit must be an integer from 1 to 1000, not '" + text + "'").with("parameter", "limit"));
    }
}
