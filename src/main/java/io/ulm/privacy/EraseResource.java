package io.ulm.privacy;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/users/{id}/erase}: crypto-shred a user and purge her from every derived store (docs/privacy.md). */
@Path("/v1/users/{id}/erase")
@Tag(name = "Privacy", description = "Erasure and data export (role: admin)")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class EraseResource {

    private final Erasure erasure;
    private final SecurityIdentity identity;

    EraseResource(Erasure erasure, SecurityIdentity identity) {
        this.erasure = erasure;
        this.identity = identity;
    }

    @POST
    @Blocking
    @APIResponse(responseCode = "200", description = "Erased: the receipt (every store touched, with row counts)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "receipt", value = PrivacyExamples.RECEIPT)))
    @APIResponse(responseCode = "404", description = "No such user", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "unknown", value = PrivacyExamples.UNKNOWN)))
    @Operation(summary = "Erase a user", description = "Appends UserErased to her stream (and to the anonymous streams linked to her), "
            + "destroys her data keys (her encrypted personal values in the event log become unreadable), deletes her rows from "
            + "profiles, traits, identities, items, features, interests, segments, churn scores, identity links, deduplication and "
            + "the win-back outbox, re-keys her analytics and win-back entries to a pseudonym (report counts stay), ends a running "
            + "win-back episode, and stops storing her messages. The id is her user id. Repeating the request returns the first receipt "
            + "with alreadyErased true.")
    public Erasure.Receipt erase(@PathParam("id") String id) {
        return erasure.erase(id, identity.getPrincipal().getName()).orElseThrow(() -> new ProblemException(
                Problem.of(404, "unknown-user", "Unknown user", "No user with id '" + id + "' has sent any message").with("userId", id)));
    }
}
