package io.ulm.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.ulm.support.KafkaResource;

import java.util.List;

/** The shared PostgreSQL (global resource) plus a real Kafka broker: Kafka switched on. */
public class KafkaProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaResource.class));
    }
}
