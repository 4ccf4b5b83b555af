package io.ulm.lifecycle;

import io.ulm.platform.Json;


import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads lifecycle rules from a file path or a classpath resource, failing fast with the source named. */
public final class LifecycleRulesLoader {


    private LifecycleRulesLoader() {
    }

    /** The rules shipped in {@code projections/lifecycle-rules.yaml}. */
    public static LifecycleRules defaults() {
        return load("projections/lifecycle-rules.yaml");
    }

    /** Loads from a file when {@code location} names one, else from the classpath. */
    public static LifecycleRules load(String location) {
        Path file = Path.of(location);
        try (InputStream in = Files.isRegularFile(file)
                ? Files.newInputStream(file)
                : LifecycleRulesLoader.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalStateException("Lifecycle rules not found: " + location);
            }
            return Json.yaml().readValue(in, LifecycleRules.class);
        } catch (IOException e) {
            throw new IllegalStateException("Invalid lifecycle rules in " + location + ": " + e.getMessage(), e);
        }
    }

}
