package io.ulm.catalogue;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A valid, normalised item definition: what a {@code DefineItem} carries, without the time it was received. */
public record ItemDefinition(String itemId, String title, String description, List<String> categories, ObjectNode properties) {

    public ItemDefinition {
        categories = List.copyOf(categories);
    }
}
