package io.ulm.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ulm.platform.privacy.PersonalData;

import java.util.Iterator;
import java.util.Map;

/**
 * Personal values in stored payloads ({@code {"$encrypted": ...}}, at any depth): masked as {@code "[personal]"}
 * for read keys, decrypted with the user's key for admin keys ({@code "[erased]"} once the key is destroyed).
 * Decrypting reads the key vault (JDBC): call it on a worker thread.
 */
final class PersonalValues {

    static final TextNode MASK = TextNode.valueOf("[personal]");

    private PersonalValues() {
    }

    static JsonNode mask(JsonNode node) {
        if (PersonalData.isEncrypted(node)) {
            return MASK;
        }
        if (node != null && node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), mask(f.getValue())));
            return copy;
        }
        if (node != null && node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> copy.add(mask(v)));
            return copy;
        }
        return node;
    }

    /** Decrypted with {@code userId}'s key (the aggregate's: personal values are encrypted with it). */
    static JsonNode reveal(PersonalData personalData, String userId, JsonNode node) {
        if (node != null && node.isObject()) {
            JsonNode revealed = hasEncryptedField(node) ? personalData.reveal(userId, node) : node;
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                copy.set(f.getKey(), PersonalData.isEncrypted(f.getValue()) ? revealed.get(f.getKey())
                        : reveal(personalData, userId, f.getValue()));
            }
            return copy;
        }
        if (node != null && node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> copy.add(reveal(personalData, userId, v)));
            return copy;
        }
        return node;
    }

    private static boolean hasEncryptedField(JsonNode object) {
        for (JsonNode value : object) {
            if (PersonalData.isEncrypted(value)) {
                return true;
            }
        }
        return false;
    }
}
