package io.ulm.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EventContractProbeTest {
    @Test
    void probe() throws Exception {
        ObjectMapper m = new ObjectMapper();
        System.out.println(EventContract.validate("segment/track.schema.json", m.readTree("{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u\"}")));
        System.out.println(EventContract.validate("segment/track.schema.json", m.readTree("{\"type\":\"track\",\"properties\":\"bad\",\"timestamp\":\"yesterday\",\"event\":3}")));
        System.out.println(EventContract.validate("segment/alias.schema.json", m.readTree("{\"type\":\"alias\",\"userId\":\"u\"}")));
    }
}
