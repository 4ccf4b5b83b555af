package io.ulm.winback;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.ulm.platform.Json;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/admin/winback/actions}: the win-back outbox, sent or not (what Kafka gets, or would get). */
@Path("/v1/admin/winback")
@Tag(name = "Admin", description = "Operations (role: admin)")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class WinbackAdminResource {

    static final String EXAMPLE = """
            {"actions":[{"id":12,"actionId":"winback-default:user-42:2024-03-01T00:00:00Z:step:0","topic":"winback-actions",
            "key":"user-42","createdAt":"2024-04-02T09:00:01Z","sentAt":null,"payload":{"type":"WinbackReminderSent",
            "winbackId":"winback-default:user-42:2024-03-01T00:00:00Z","campaignId":"winback-default","userId":"user-42",
            "arm":"reminder-then-offer","step":0,"at":"2024-03-01T00:00:00Z","items":["sku-1","sku-7"]}}]}""";

    public record Action(long id, String actionId, String topic, String key, Instant createdAt, Instant sentAt, JsonNode payload) {
    }

    public record Actions(List<Action> actions) {
    }

    private final DataSource dataSource;

    WinbackAdminResource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GET
    @Path("/actions")
    @Blocking
    @APIResponse(responseCode = "200", description = "Actions in outbox order", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "actions", value = EXAMPLE)))
    @Operation(summary = "List win-back actions (the outbox)", description = "Each action once, in the order the sagas wrote "
            + "them (id ascending, after the cursor `after`); `userId` filters by user, `unsent=true` keeps those not yet "
            + "published to Kafka `winback-actions` (all of them when Kafka is off).")
    public Actions actions(@QueryParam("userId") String userId, @QueryParam("after") @DefaultValue("0") long after,
                           @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("unsent") @DefaultValue("false") boolean unsent) {
        String sql = "SELECT id, action_id, topic, msg_key, created_at, sent_at, payload::text FROM outbox WHERE id > ?"
                + (userId == null ? "" : " AND msg_key = ?") + (unsent ? " AND sent_at IS NULL" : "") + " ORDER BY id LIMIT ?";
        List<Action> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, after);
            if (userId != null) {
                ps.setString(i++, userId);
            }
            ps.setInt(i, Math.max(1, Math.min(limit, 1000)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Timestamp sent = rs.getTimestamp(6);
                    out.add(new Action(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), sent == null ? null : sent.toInstant(), Json.mapper().readTree(rs.getString(7))));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not read the outbox", e);
        }
        return new Actions(out);
    }
}
