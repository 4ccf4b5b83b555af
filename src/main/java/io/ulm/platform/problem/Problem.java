package io.ulm.platform.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 7807 problem-details body ({@code application/problem+json}). {@code type} is a relative
 * URI naming the kind of problem (listed in docs/api.md); extension members go in {@link #extra()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
public record Problem(String type, String title, int status, String detail, String instance,
                      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extra) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String type, String title, String detail) {
        return new Problem("/problems/" + type, title, status, detail, null, new LinkedHashMap<>());
    }

    public Problem with(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(extra);
        copy.put(name, value);
        return new Problem(type, title, status, detail, instance, copy);
    }

    public Problem at(String path) {
        return new Problem(type, title, status, detail, path, extra);
    }

    @JsonAnyGetter
    Map<String, Object> extensions() {
        return extra;
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
