package io.ulm.catalogue;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why one item definition was rejected: {@code index} is its position in a bulk request (the array index,
 * or the line number of NDJSON and CSV; null for PUT), {@code field} the top-level field at fault and
 * {@code pointer} the JSON Pointer of the value, relative to the request body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemError(Integer index, String field, String pointer, String detail) {
}
