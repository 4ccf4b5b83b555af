package io.ulm.deploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.ulm.messaging.KafkaConfig;
import io.ulm.model.ModelConfig;
import io.ulm.platform.MetricsConfig;
import io.ulm.platform.UlmConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the deployment files must agree with, read from the application itself: its HTTP port, health and metrics
 * paths, version, and the ULM_* environment variables it reads (every {@code ulm.*} property of its
 * {@code @ConfigMapping}s, and the {@code ${ulm.*}} expressions of application.properties).
 */
final class AppConfig {

    /** Quarkus' defaults; {@link #properties()} is checked not to move them. */
    static final String HEALTH = "/q/health";
    static final String METRICS = "/q/metrics";
    private static final List<Class<?>> MAPPINGS = List.of(UlmConfig.class, ModelConfig.class, KafkaConfig.class, MetricsConfig.class,
            io.ulm.interest.InterestConfig.class, io.ulm.simulation.SimulationConfig.class);

    private AppConfig() {
    }

    static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String moved : List.of("quarkus.http.root-path", "quarkus.http.non-application-root-path", "quarkus.smallrye-health.root-path",
                "quarkus.micrometer.export.prometheus.path")) {
            if (p.containsKey(moved)) {
                throw new AssertionError(moved + " is set: the chart's probe and metrics paths assume Quarkus' defaults");
            }
        }
        return p;
    }

    static int httpPort() {
        return Integer.parseInt(properties().getProperty("quarkus.http.port"));
    }

    static String chartAppVersion() {
        return field(Chart.DIR.resolve("Chart.yaml"), "(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?");
    }

    static String pomVersion() {
        return field(Path.of("pom.xml"), "<artifactId>ulm</artifactId>\\s*<version>([^<]+)</version>");
    }

    static String field(Path file, String regex) {
        try {
            Matcher m = Pattern.compile(regex).matcher(Files.readString(file));
            if (!m.find()) {
                throw new AssertionError(regex + " not found in " + file);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the application reads the environment variable {@code ULM_...}. */
    static boolean knows(String variable) {
        for (String property : properties(true)) {
            if (property.endsWith(".*") ? variable.startsWith(env(property.substring(0, property.length() - 1)))
                    : variable.equals(env(property))) {
                return true;
            }
        }
        return false;
    }

    /** ulm.* property names; a map's entries as {@code prefix.*}. */
    static Set<String> properties(boolean withExpressions) {
        Set<String> names = new TreeSet<>();
        for (Class<?> mapping : MAPPINGS) {
            walk(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, names);
        }
        if (withExpressions) {
            Properties p = properties();
            Matcher m = Pattern.compile("\\$\\{(ulm\\.[a-z0-9.-]+)").matcher(String.join("\n", p.stringPropertyNames().stream().map(p::getProperty).toList()));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static void walk(String prefix, Class<?> type, Set<String> names) {
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName named = method.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : kebab(method.getName()));
            Class<?> returned = method.getReturnType();
            if (Map.class.isAssignableFrom(returned)) {
                names.add(name + ".*");
            } else if (returned.isInterface() && returned.getName().startsWith("io.ulm.")) {
                walk(name, returned, names);
            } else {
                names.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String env(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
