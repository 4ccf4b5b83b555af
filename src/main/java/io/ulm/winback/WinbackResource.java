package io.ulm.winback;

import io.smallrye.common.annotation.Blocking;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code /v1/winback/campaigns}: the loaded campaigns and their per-arm results (docs/winback.md, "Results"). */
@Path("/v1/winback/campaigns")
@Tag(name = "Win-back", description = "Campaigns, results per arm with uplift against the holdout, backtests")
@Produces(MediaType.APPLICATION_JSON)
public class WinbackResource {

    static final String CAMPAIGNS_EXAMPLE = """
            {"campaigns":[{"campaignId":"winback-default","name":"Default win-back","file":"projections/winback/default.yaml",
            "live":true,"triggers":["AT_RISK","CHURN_RISK_RAISED"],"holdout":0.2,"window":"P14D","cooldown":"P90D","minClv":20,
            "arms":[{"id":"reminder-then-offer","weight":2.0,"steps":["reminder(5)","wait P3D","offer","wait P7D"]},
            {"id":"reminder-only","weight":1.0,"steps":["reminder(5)","wait P10D"]}],
            "tiers":[{"id":"gold","discount":0.20},{"id":"silver","discount":0.15},{"id":"standard","discount":0.10}]}]}""";

    static final String RESULTS_EXAMPLE = """
            {"campaignId":"winback-default","name":"Default win-back","window":"P14D","confidence":0.95,"entered":1450,
            "historic":3120,"arms":[{"arm":"holdout","holdout":true,"entered":290,"running":12,"decided":278,"messaged":0,
            "reminders":0,"offers":0,"skipped":0,"returned":64,"returnRate":0.2302,"revenueAfterReturn":2210.40,
            "revenuePerDecided":7.95,"historic":622,"historicReturned":112,"uplift":null},
            {"arm":"reminder-then-offer","holdout":false,"entered":773,"running":31,"decided":742,"messaged":773,"reminders":773,
            "offers":601,"skipped":9,"returned":228,"returnRate":0.3073,"revenueAfterReturn":8120.75,"revenuePerDecided":10.94,
            "historic":1665,"historicReturned":301,"uplift":{"difference":0.0771,"ciLow":0.0160,"ciHigh":0.1323,"relativeLift":0.3349,"pValue":0.0155,"pHolm":0.0310,
            "significant":true,"significantHolm":true}}]}""";

    static final String UNKNOWN_EXAMPLE = """
            {"type":"/problems/unknown-campaign","title":"Unknown campaign","status":404,
            "detail":"no win-back campaign 'spring-sale' is loaded (projections/winback): winback-default","campaign":"spring-sale"}""";

    public record ArmSummary(String id, double weight, List<String> steps) {
    }

    public record TierSummary(String id, BigDecimal discount) {
    }

    public record Campaign(String campaignId, String name, String file, boolean live, Set<Trigger> triggers, double holdout,
                           String window, String cooldown, BigDecimal minClv, List<ArmSummary> arms, List<TierSummary> tiers) {
    }

    public record Campaigns(List<Campaign> campaigns) {
    }

    static final String BACKTEST_EXAMPLE = """
            {"runId":3,"campaignId":"winback-default","historyEnd":"2011-12-09T12:50:00Z","users":4372,"triggers":3410,
            "entered":2764,"skipped":{"BELOW_MIN_CLV":241,"COOLDOWN":405},"arms":[{"arm":"holdout","entered":552,"decided":552,
            "pending":0,"returned":141,"returnRate":0.2554,"reminders":0,"offers":0,"offerValue":0,"redeemedValue":0},
            {"arm":"reminder-then-offer","entered":1475,"decided":1475,"pending":0,"returned":377,"returnRate":0.2556,
            "reminders":1475,"offers":1301,"offerValue":5981.12,"redeemedValue":1104.57}],"holdoutNaturalReturnRate":0.2554,
            "weeks":[{"week":"2011-01-03","entered":31,"arms":{"reminder-then-offer":17,"holdout":6,"reminder-only":8}}],
            "actions":9180,"costBasis":"offer value = tier discount × her mean order value (purchases before entry); redeemed = tier discount × her first order between the offer and the window's end"}""";

    private final WinbackServices services;
    private final WinbackResults results;
    private final WinbackBacktests backtests;

    WinbackResource(WinbackServices services, WinbackResults results, WinbackBacktests backtests) {
        this.services = services;
        this.results = results;
        this.backtests = backtests;
    }

    @POST
    @Path("/{id}/backtest")
    @Blocking
    @RolesAllowed("admin")
    @APIResponse(responseCode = "200", description = "The backtest's report (its actions are in winback_backtest_action)",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "backtest", value = BACKTEST_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such campaign", content = @Content(mediaType = Problem.MEDIA_TYPE,
            examples = @ExampleObject(name = "unknown campaign", value = UNKNOWN_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "No history yet", content = @Content(mediaType = Problem.MEDIA_TYPE,
            examples = @ExampleObject(name = "no history", value = "{\"type\":\"/problems/no-history\",\"title\":\"No history\","
                    + "\"status\":409,\"detail\":\"nothing has been ingested: there is no event time to backtest up to\"}")))
    @Operation(summary = "Backtest a win-back campaign over the history", description = "Replays the campaign over the event "
            + "log in event time up to the lifecycle watermark, as if it had been live (triggers, cap, eligibility, assignment, "
            + "steps, outcomes), without sending anything: nothing goes to the outbox, Kafka or the saga's tables. Reports who "
            + "would have entered, when (per ISO week), in which arm, the offers' cost and the holdout's natural return rate.")
    public WinbackBacktests.Report backtest(@PathParam("id") String id) {
        return backtests.run(campaign(id)).orElseThrow(() -> new ProblemException(Problem.of(409, "no-history", "No history",
                "nothing has been ingested: there is no event time to backtest up to")));
    }

    @GET
    @RolesAllowed({"read", "admin"})
    @APIResponse(responseCode = "200", description = "The loaded campaigns, in the order the saga tries them",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "campaigns", value = CAMPAIGNS_EXAMPLE)))
    @Operation(summary = "List win-back campaigns", description = "Every policy file loaded from `ulm.winback.policies`; "
            + "`live` says whether the saga starts episodes of it.")
    public Campaigns campaigns() {
        return new Campaigns(services.policies().values().stream().map(this::summary).toList());
    }

    @GET
    @Path("/{id}/results")
    @Blocking
    @RolesAllowed({"read", "admin"})
    @APIResponse(responseCode = "200", description = "Per arm, the holdout first", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "results", value = RESULTS_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such campaign", content = @Content(mediaType = Problem.MEDIA_TYPE,
            examples = @ExampleObject(name = "unknown campaign", value = UNKNOWN_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "A bad confidence", content = @Content(mediaType = Problem.MEDIA_TYPE,
            examples = @ExampleObject(name = "bad confidence", value = "{\"type\":\"/problems/invalid-parameter\",\"title\":"
                    + "\"Invalid parameter\",\"status\":400,\"detail\":\"confidence must be a number in (0, 1), not '95'\","
                    + "\"parameter\":\"confidence\"}")))
    @Operation(summary = "Results of a win-back campaign", description = "Per arm and the holdout: users entered, running, "
            + "decided, messaged, returned (WON_BACK, each user once), return rate over the decided users, revenue after the "
            + "return within the outcome window, and each arm's uplift over the holdout with a Newcombe interval at "
            + "`confidence` (default 0.95) and Holm-adjusted p-values. Episodes that were already over in event time when "
            + "their trigger reached the saga (imported history: nothing was sent) are counted apart as `historic` and in "
            + "no rate; `skipped` counts live episodes' steps not sent because they were history.")
    public CampaignResults.Results results(@PathParam("id") String id, @QueryParam("confidence") String confidence) {
        WinbackPolicy policy = campaign(id);
        return results.results(policy, confidence(confidence));
    }

    WinbackPolicy campaign(String id) {
        return services.policy(id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-campaign", "Unknown campaign",
                "no win-back campaign '" + id + "' is loaded (" + services.directory() + "): "
                        + String.join(", ", services.policies().keySet())).with("campaign", id)));
    }

    private static double confidence(String text) {
        if (text == null || text.isBlank()) {
            return UpliftStats.DEFAULT_CONFIDENCE;
        }
        try {
            double c = Double.parseDouble(text);
            if (c > 0 && c < 1) {
                return c;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(Problem.of(400, "invalid-parameter", "Invalid parameter",
                "confidence must be a number in (0, 1), not '" + text + "'").with("parameter", "confidence"));
    }

    private Campaign summary(WinbackPolicy p) {
        List<ArmSummary> arms = p.arms().stream().map(a -> new ArmSummary(a.id(), a.weight(),
                a.steps().stream().map(WinbackResource::step).toList())).toList();
        return new Campaign(p.campaignId(), p.name(), p.file(), services.live(p.campaignId()), p.triggers(), p.holdoutShare(),
                iso(p.outcomeWindow()), iso(p.eligibility().cooldown()), p.eligibility().minClv(), arms,
                p.tiers().stream().map(t -> new TierSummary(t.id(), t.discount())).toList());
    }

    private static String step(Step s) {
        if (s instanceof Step.Reminder r) {
            return "reminder(" + r.items() + ")";
        }
        if (s instanceof Step.Offer o) {
            return o.pinnedTier() == null ? "offer" : "offer(" + o.pinnedTier() + ")";
        }
        return "wait " + iso(((Step.Wait) s).duration());
    }

    /** ISO-8601 as the policy files write it: P14D rather than PT336H for whole days. */
    static String iso(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.getNano() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }
}
