package io.ulm.analytics;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.util.function.Function;

/**
 * Funnel, cohort retention, stage transitions and the lifecycle series, computed at request time from the
 * analytics projection (event time, UTC). JSON by default; CSV with {@code Accept: text/csv} or
 * {@code ?format=csv}. Definitions: docs/analytics.md.
 */
@Path("/v1/analytics")
@Tag(name = "Analytics", description = "Funnel, cohorts, transitions, lifecycle (role: read). Definitions: docs/analytics.md")
@RolesAllowed({"read", "admin"})
@Produces({MediaType.APPLICATION_JSON, "text/csv"})
public class AnalyticsResource {

    private static final String FROM = "First UTC day covered (inclusive, yyyy-MM-dd); period reports widen it to the start of its period";
    private static final String TO = "UTC day the report ends before (exclusive); period reports widen it to the end of the period of the day before";
    private static final String FORMAT = "json (default) or csv; overrides Accept";

    private final AnalyticsQueries queries;

    AnalyticsResource(AnalyticsQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/funnel")
    @Operation(summary = "Stage funnel: users who ever reached each stage, with conversion",
            description = "Ladder steps (ACQUIRED, ACTIVATED, ENGAGED, MONETIZED, LOYAL) count users who ever reached the stage OR A "
                    + "HIGHER ladder stage (a user who jumped from ACQUIRED to MONETIZED counts for ACTIVATED and ENGAGED too); then users "
                    + "ever AT_RISK (conversion from ACQUIRED), CHURNED and REACTIVATED (both from AT_RISK). from/to select users by "
                    + "acquisition time.")
    @APIResponse(responseCode = "200", description = "The funnel", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "online-retail", value = AnalyticsExamples.FUNNEL)),
            @Content(mediaType = "text/csv", examples = @ExampleObject(name = "online-retail", value = AnalyticsExamples.FUNNEL_CSV))})
    @APIResponse(responseCode = "400", description = "A bad query parameter", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "bad-date", value = AnalyticsExamples.BAD_PARAMETER)))
    public Uni<Response> funnel(@Parameter(description = FROM) @QueryParam("from") String from,
                                @Parameter(description = TO) @QueryParam("to") String to,
                                @Parameter(description = FORMAT) @QueryParam("format") String format,
                                @Context HttpHeaders headers) {
        LocalDate[] range = AnalyticsParams.range(from, to);
        boolean csv = AnalyticsParams.csv(format, headers);
        return queries.funnel(Window.days(range[0], range[1]))
                .map(render(csv, "funnel.csv", AnalyticsCsv::funnel));
    }

    @GET
    @Path("/cohorts")
    @Operation(summary = "Cohort retention matrix by acquisition week or month",
            description = "Cohort = the UTC week (Monday) or month of acquisition. Cell k: users of the cohort active (any activity) k "
                    + "periods after acquisition (recurring), or active in period k or any later period (cumulative, 'on or after'); "
                    + "count and share. Cells run up to the latest period with data. from/to select cohorts and the activity counted.")
    @APIResponse(responseCode = "200", description = "The matrix", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "online-retail", value = AnalyticsExamples.COHORTS)),
            @Content(mediaType = "text/csv", examples = @ExampleObject(name = "online-retail", value = AnalyticsExamples.COHORTS_CSV))})
    @APIResponse(responseCode = "400", description = "A bad query parameter", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "bad-period", value = AnalyticsExamples.BAD_PERIOD)))
    public Uni<Response> cohorts(@Parameter(description = "week or month") @QueryParam("period") @DefaultValue("month") String period,
                                 @Parameter(description = "recurring or cumulative") @QueryParam("retention") @DefaultValue("recurring")
                                 String retention,
                                 @Parameter(description = FROM) @QueryParam("from") String from,
                                 @Parameter(description = TO) @QueryParam("to") String to,
                                 @Parameter(description = FORMAT) @QueryParam("format") String format,
                                 @Context HttpHeaders headers) {
        Period p = AnalyticsParams.period(period);
        CohortMatrix.Retention r = AnalyticsParams.retention(retention);
        LocalDate[] range = AnalyticsParams.range(from, to);
        boolean csv = AnalyticsParams.csv(format, headers);
        return queries.cohorts(p, r, Window.periods(p, range[0], range[1]))
                .map(render(csv, "cohorts-" + p.label() + "-" + r.label() + ".csv", AnalyticsCsv::cohorts));
    }

    @GET
    @Path("/transitions")
    @Operation(summary = "Stage transition matrix per period: counts and P(to | from)",
            description = "Per UTC month or week (or all: the whole range as one period), the number of transitions from each stage to "
                    + "each other and the probability P(to | from) = count / transitions out of 'from' in that period. from = null is "
                    + "the acquisition. from/to select transitions by their event time.")
    @APIResponse(responseCode = "200", description = "The transitions", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "online-retail", value = AnalyticsExamples.TRANSITIONS)),
            @Content(mediaType = "text/csv", examples = @ExampleObject(name = "online-retail", value = AnalyticsExamples.TRANSITIONS_CSV))})
    @APIResponse(responseCode = "400", description = "A bad query parameter", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "bad-period", value = AnalyticsExamples.BAD_PERIOD)))
    public Uni<Response> transitions(@Parameter(description = "month, week or all") @QueryParam("period") @DefaultValue("month") String period,
                                     @Parameter(description = FROM) @QueryParam("from") String from,
                                     @Parameter(description = TO) @QueryParam("to") String to,
                                     @Parameter(description = FORMAT) @QueryParam("format") String format,
                                     @Context HttpHeaders headers) {
        Period p = AnalyticsParams.periodOrAll(period);
        LocalDate[] range = AnalyticsParams.range(from, to);
        boolean csv = AnalyticsParams.csv(format, headers);
        Window window = p == null ? Window.days(range[0], range[1]) : Window.periods(p, range[0], range[1]);
        return queries.transitions(p, window)
                .map(render(csv, "transitions-" + (p == null ? "all" : p.label()) + ".csv", AnalyticsCsv::transitions));
    }

    @GET
    @Path("/lifecycle")
    @Operation(summary = "PostHog-style lifecycle series: new, returning, resurrecting, dormant users per period",
            description = "Per UTC week or month: new = acquired in the period (by acquisition time) and active in it; returning = active "
                    + "in this and the previous period; resurrecting = active, not in the previous period, not new; dormant = active in "
                    + "the previous period but not in this one, as a negative number.")
    @APIResponse(responseCode = "200", description = "The series", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "online-retail", value = AnalyticsExamples.LIFECYCLE)),
            @Content(mediaType = "text/csv", examples = @ExampleObject(name = "online-retail", value = AnalyticsExamples.LIFECYCLE_CSV))})
    @APIResponse(responseCode = "400", description = "A bad query parameter", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "bad-period", value = AnalyticsExamples.BAD_PERIOD)))
    public Uni<Response> lifecycle(@Parameter(description = "week or month") @QueryParam("period") @DefaultValue("week") String period,
                                   @Parameter(description = FROM) @QueryParam("from") String from,
                                   @Parameter(description = TO) @QueryParam("to") String to,
                                   @Parameter(description = FORMAT) @QueryParam("format") String format,
                                   @Context HttpHeaders headers) {
        Period p = AnalyticsParams.period(period);
        LocalDate[] range = AnalyticsParams.range(from, to);
        boolean csv = AnalyticsParams.csv(format, headers);
        return queries.lifecycle(p, Window.periods(p, range[0], range[1]))
                .map(render(csv, "lifecycle-" + p.label() + ".csv", AnalyticsCsv::lifecycle));
    }

    private static <T> Function<T, Response> render(boolean csv, String filename, Function<T, String> toCsv) {
        if (!csv) {
            return report -> Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return report -> Response.ok(toCsv.apply(report), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "inline; filename=\"" + filename + "\"").build();
    }
}
