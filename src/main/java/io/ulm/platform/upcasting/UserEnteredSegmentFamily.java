package io.ulm.platform.upcasting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.lifecycle.api.UserEnteredSegment;

/**
 * UserEnteredSegment revision 1 → 2: adds {@code family}, which follows from the segment id (nothing is guessed).
 * Field order as revision 2 writes it, so a replayed event reads byte-for-byte like a new one.
 */
public final class UserEnteredSegmentFamily extends JsonPayloadUpcaster {

    public UserEnteredSegmentFamily() {
        super(UserEnteredSegment.class, "1", "2");
    }

    @Override
    public ObjectNode upcast(ObjectNode v1) {
        ObjectNode v2 = v1.objectNode();
        v1.fields().forEachRemaining(field -> {
            v2.set(field.getKey(), field.getValue());
            if (field.getKey().equals("segmentId")) {
                v2.put("family", UserEnteredSegment.familyOf(field.getValue().asText()));
            }
        });
        return v2;
    }
}
