package io.ulm.platform.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves ULM as RFC 7807 problem details, never as a stack trace or an HTML page. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    static final String CHALLENGE = "Basic realm=\"ulm\", Bearer realm=\"ulm\"";

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return e.problem().at(request.path()).toResponse();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        Problem p = Problem.of(401, "unauthorized", "Unauthorized",
                "Send an API key: HTTP Basic with the key as user name (Segment SDKs do this), or 'Authorization: Bearer <key>'.");
        return Response.fromResponse(p.at(request.path()).toResponse()).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return Problem.of(403, "forbidden", "Forbidden", "This API key does not have the role this endpoint requires.")
                .at(request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        String reason = Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        return Problem.of(status, reason.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), reason, e.getMessage()).at(request.path()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        LOG.error("Unexpected error on " + request.path(), e);
        return Problem.of(500, "internal-error", "Internal error",
                "The request failed and nothing was stored. It is safe to retry with the same messageIds.")
                .at(request.path()).toResponse();
    }
}
