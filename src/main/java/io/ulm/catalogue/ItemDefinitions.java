package io.ulm.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.platform.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates and normalises the JSON of an item definition ({@code id}, {@code title}, {@code description},
 * {@code categories}, {@code properties}; anything else is an error, so a typo such as "category" is
 * reported instead of silently ignored). Every problem names its field and JSON Pointer.
 */
final class ItemDefinitions {

    static final int MAX_ID = 200;
    static final int MAX_TITLE = 1_000;
    static final int MAX_DESCRIPTION = 20_000;
    static final int MAX_CATEGORY = 100;
    static final int MAX_CATEGORIES = 100;
    static final int MAX_PROPERTIES_BYTES = 32_768;
    private static final Set<String> FIELDS = Set.of("id", "title", "description", "categories", "properties");

    /** The definition, or the reasons it is invalid (never both). */
    record Parsed(ItemDefinition item, List<ItemError> errors) {
        boolean valid() {
            return item != null;
        }
    }

    private ItemDefinitions() {
    }

    /**
     * @param node   the definition's JSON
     * @param pathId the id from the URL (PUT), or null when the body must carry {@code id} (bulk)
     * @param index  the position in a bulk request, or null
     * @param base   JSON Pointer of the definition in the request body ("" for the whole body)
     */
    static Parsed parse(JsonNode node, String pathId, Integer index, String base) {
        List<ItemError> errors = new ArrayList<>();
        if (node == null || !node.isObject()) {
            errors.add(new ItemError(index, null, base, "an item definition must be a JSON object"));
            return new Parsed(null, errors);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                errors.add(error(index, field, base + "/" + field, "unknown field '" + field + "' (allowed: id, title, description, categories, properties)"));
            }
        }
        String id = id(node, pathId, index, base, errors);
        String title = text(node, "title", MAX_TITLE, index, base, errors);
        String description = text(node, "description", MAX_DESCRIPTION, index, base, errors);
        List<String> categories = categories(node, index, base, errors);
        ObjectNode properties = properties(node, index, base, errors);
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        return new Parsed(new ItemDefinition(id, title, description, categories, properties), List.of());
    }

    /** Checks an item id (from a URL or a body); null when valid, else what is wrong. */
    static String checkId(String id) {
        if (id == null || id.isBlank()) {
            return "an item id must not be empty";
        }
        if (id.length() > MAX_ID) {
            return "an item id has at most " + MAX_ID + " characters";
        }
        if (id.chars().anyMatch(c -> c == '/' || Character.isISOControl(c))) {
            return "an item id must not contain '/' or control characters";
        }
        return null;
    }

    private static String id(JsonNode node, String pathId, Integer index, String base, List<ItemError> errors) {
        JsonNode value = node.get("id");
        if (pathId != null) {
            if (value != null && !(value.isTextual() && value.asText().equals(pathId))) {
                errors.add(error(index, "id", base + "/id", "id in the body must be the id of the URL ('" + pathId + "') or left out"));
            }
            return pathId;
        }
        if (value == null || value.isNull()) {
            errors.add(error(index, "id", base + "/id", "id is required"));
            return null;
        }
        if (!value.isTextual() && !value.isIntegralNumber()) {
            errors.add(error(index, "id", base + "/id", "id must be a string"));
            return null;
        }
        String problem = checkId(value.asText());
        if (problem != null) {
            errors.add(error(index, "id", base + "/id", problem));
        }
        return value.asText();
    }

    private static String text(JsonNode node, String field, int max, Integer index, String base, List<ItemError> errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(error(index, field, base + "/" + field, field + " must be a string or null"));
            return null;
        }
        String text = value.asText().strip();
        if (text.length() > max) {
            errors.add(error(index, field, base + "/" + field, field + " has at most " + max + " characters"));
        }
        return text.isEmpty() ? null : text;
    }

    private static List<String> categories(JsonNode node, Integer index, String base, List<ItemError> errors) {
        JsonNode value = node.get("categories");
        if (value == null || value.isNull()) {
            return List.of();
        }
        String pointer = base + "/categories";
        if (!value.isArray()) {
            errors.add(error(index, "categories", pointer, "categories must be an array of strings"));
            return List.of();
        }
        if (value.size() > MAX_CATEGORIES) {
            errors.add(error(index, "categories", pointer, "at most " + MAX_CATEGORIES + " categories"));
        }
        Set<String> categories = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode c = value.get(i);
            String category = c.isTextual() ? c.asText().strip() : "";
            if (category.isEmpty() || category.length() > MAX_CATEGORY) {
                errors.add(error(index, "categories", pointer + "/" + i,
                        "a category is a non-empty string of at most " + MAX_CATEGORY + " characters"));
            } else {
                categories.add(category);
            }
        }
        return List.copyOf(categories);
    }

    private static ObjectNode properties(JsonNode node, Integer index, String base, List<ItemError> errors) {
        JsonNode value = node.get("properties");
        if (value == null || value.isNull()) {
            return Json.mapper().createObjectNode();
        }
        if (!value.isObject()) {
            errors.add(error(index, "properties", base + "/properties", "properties must be a JSON object"));
            return null;
        }
        if (value.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PROPERTIES_BYTES) {
            errors.add(error(index, "properties", base + "/properties", "properties are at most " + MAX_PROPERTIES_BYTES + " bytes of JSON"));
        }
        return (ObjectNode) value.deepCopy();
    }

    private static ItemError error(Integer index, String field, String pointer, String detail) {
        return new ItemError(index, field, pointer, detail);
    }
}
