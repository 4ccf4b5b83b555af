package io.ulm.ingest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why one message was rejected. {@code index} is its position in the request (null for a single
 * message or the envelope), {@code pointer} the JSON Pointer of the field, relative to the request body.
 * {@code tooLarge} marks a message over the size limit (answered 413 when it is the only one).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageError(Integer index, String pointer, String detail, @JsonIgnore boolean tooLarge) {

    public MessageError(Integer index, String pointer, String detail) {
        this(index, pointer, detail, false);
    }
}
