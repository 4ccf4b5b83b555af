package io.ulm.platform.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ulm.platform.Json;
import io.ulm.platform.UlmConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Encrypts the personal fields of traits and properties with the user's key before they reach the
 * event log, and reveals them on read. An encrypted value is stored as
 * {@code {"$encrypted": "v1.<keyId>.<base64 nonce+ciphertext>"}}; its field name stays readable.
 */
@ApplicationScoped
public class PersonalData {

    public static final String MARKER = "$encrypted";
    public static final String ERASED = "[erased]";

    private final KeyVault vault;
    private final Set<String> personalTraits;
    private final Set<String> personalProperties;
    private final java.util.List<String> droppedContext;

    PersonalData(KeyVault vault, UlmConfig config) {
        this.vault = vault;
        this.personalTraits = lower(config.privacy().personalTraits());
        this.personalProperties = lower(config.privacy().personalProperties());
        this.droppedContext = config.privacy().droppedContextFields();
    }

    /** The context without the fields that identify a person or a device (ip, device ids, ...). */
    public ObjectNode minimiseContext(ObjectNode context) {
        if (context == null) {
            return null;
        }
        ObjectNode copy = context.deepCopy();
        for (String field : droppedContext) {
            int dot = field.indexOf('.');
            if (dot < 0) {
                copy.remove(field);
            } else if (copy.path(field.substring(0, dot)).isObject()) {
                ((ObjectNode) copy.get(field.substring(0, dot))).remove(field.substring(dot + 1));
            }
        }
        return copy;
    }

    public boolean hasPersonalTraits(JsonNode traits) {
        return containsAny(traits, personalTraits);
    }

    public boolean hasPersonalProperties(JsonNode properties) {
        return containsAny(properties, personalProperties);
    }

    public ObjectNode protectTraits(String userId, ObjectNode traits) {
        return protect(userId, traits, personalTraits);
    }

    public ObjectNode protectProperties(String userId, ObjectNode properties) {
        return protect(userId, properties, personalProperties);
    }

    /** A copy of {@code node} with personal values decrypted, or {@value #ERASED} when the key is gone. */
    public JsonNode reveal(String userId, JsonNode node) {
        if (node == null || !node.isObject()) {
            return node;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        Optional<KeyVault.UserKey> key = Optional.empty();
        boolean looked = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (isEncrypted(field.getValue())) {
                if (!looked) {
                    key = vault.existingKey(userId);
                    looked = true;
                }
                copy.set(field.getKey(), key.map(k -> decryptOrErased(k, userId, field.getValue())).orElse(TextNode.valueOf(ERASED)));
            } else {
                copy.set(field.getKey(), field.getValue());
            }
        }
        return copy;
    }

    /** Those of {@code userIds} who were erased: nothing of theirs may be stored or encrypted again. */
    public Set<String> erased(java.util.Collection<String> userIds) {
        return vault.erased(userIds);
    }

    public static boolean isEncrypted(JsonNode value) {
        return value != null && value.isObject() && value.size() == 1 && value.path(MARKER).isTextual();
    }

    private ObjectNode protect(String userId, ObjectNode node, Set<String> personal) {
        if (!containsAny(node, personal)) {
            return node;
        }
        KeyVault.UserKey key = vault.keyFor(userId);
        ObjectNode copy = node.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (personal.contains(field.getKey().toLowerCase(Locale.ROOT)) && !field.getValue().isNull()) {
                byte[] plain = field.getValue().toString().getBytes(StandardCharsets.UTF_8);
                byte[] sealed = KeyVault.Aead.encrypt(key.key(), plain, userId.getBytes(StandardCharsets.UTF_8));
                String text = "v1." + key.keyId() + "." + Base64.getEncoder().encodeToString(sealed);
                copy.set(field.getKey(), JsonNodeFactory.instance.objectNode().put(MARKER, text));
            }
        }
        return copy;
    }

    /** A value sealed with a key that is no longer hers (destroyed, then a row re-created) reads as erased. */
    private static JsonNode decryptOrErased(KeyVault.UserKey key, String userId, JsonNode value) {
        try {
            return decrypt(key, userId, value);
        } catch (IllegalStateException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return TextNode.valueOf(ERASED);
        }
    }

    private static JsonNode decrypt(KeyVault.UserKey key, String userId, JsonNode value) {
        String[] parts = value.get(MARKER).asText().split("\\.", 3);
        byte[] plain = KeyVault.Aead.decrypt(key.key(), Base64.getDecoder().decode(parts[2]), userId.getBytes(StandardCharsets.UTF_8));
        try {
            return Json.mapper().readTree(plain);
        } catch (IOException e) {
            throw new IllegalStateException("Corrupt personal value", e);
        }
    }

    private static boolean containsAny(JsonNode node, Set<String> names) {
        if (node == null || !node.isObject()) {
            return false;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            if (names.contains(it.next().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> lower(java.util.List<String> names) {
        return names.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
