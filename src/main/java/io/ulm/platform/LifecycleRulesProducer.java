package io.ulm.platform;

import io.ulm.lifecycle.LifecycleRules;
import io.ulm.lifecycle.LifecycleRulesLoader;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The lifecycle rules as a bean, loaded (and validated) once at startup. */
public class LifecycleRulesProducer {

    @Produces
    @Singleton
    LifecycleRules rules(UlmConfig config) {
        return LifecycleRulesLoader.load(config.lifecycle().rules());
    }
}
