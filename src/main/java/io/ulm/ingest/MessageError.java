package io.ulm.ingest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why one message was rejected. {@code index} is its position in the request (null for a single
 * message or the envelope), {@code pointer} the JSON Pointer of the field, relative to the request body.
 * {@code reason} is the kind of fault, for metrics ({@code ulm_ingest_rejected_total{reason}}); a message over
 * the size limit ({@link Reason#TOO_LARGE}) is answered 413 when it is the only one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageError(Integer index, String pointer, String detail, @JsonIgnore Reason reason) {

    /** The kinds of rejection, a small fixed set (metric tag values). */
    public enum Reason {
        /** The body or record is not JSON. */
        MALFORMED_JSON,
        /** The message is not a JSON object. */
        NOT_AN_OBJECT,
        /** Over the message (or request) size limit. */
        TOO_LARGE,
        /** Missing or unknown message type, or a type the endpoint does not take. */
        TYPE,
        /** Neither userId nor anonymousId. */
        IDENTITY,
        /** A field fails the message's JSON Schema (events/segment/), the envelope's included. */
        SCHEMA,
        /** Timestamp missing (imports), unparsable, too old or in the future. */
        TIMESTAMP;

        /** The metric tag value: {@code too_large}. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A schema violation (the most common kind). */
    public MessageError(Integer index, String pointer, String detail) {
        this(index, pointer, detail, Reason.SCHEMA);
    }

    public boolean tooLarge() {
        return reason == Reason.TOO_LARGE;
    }
}
