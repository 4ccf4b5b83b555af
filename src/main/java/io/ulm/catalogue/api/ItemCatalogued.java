package io.ulm.catalogue.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * An item of the catalogue was defined or redefined (PUT /v1/items/{id}, bulk or data-set import). The
 * definition replaces the previous one as a whole; {@code at} is when the catalogue received it. Items are
 * reference data kept in the event log, so that every read model built from them replays identically.
 */
@Revision("1")
public record ItemCatalogued(String itemId, String title, String description, List<String> categories,
                             ObjectNode properties, Instant at) {
}
