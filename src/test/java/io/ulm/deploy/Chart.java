package io.ulm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Helm chart in {@code helm/ulm}, linted and rendered offline by helm-java (Helm's Go code through JNI, no helm
 * binary, no cluster), the rendered manifests read back as typed fabric8 Kubernetes objects.
 */
final class Chart {

    static final Path DIR = Path.of("helm", "ulm");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private Chart() {
    }

    /** values.yaml and every values-*.yaml beside it. */
    static List<Path> valuesFiles() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().matches("values(-[a-z0-9-]+)?\\.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code helm lint --strict -f values} — helm-java's lint takes no values file, so the chart is copied with
     * values.yaml replaced by values.yaml deep-merged with the file, which is how Helm layers {@code -f} (maps merge,
     * lists and scalars replace).
     */
    static LintResult lint(Path values) throws IOException {
        Path copy = Files.createTempDirectory("ulm-chart-");
        try {
            copyTree(DIR, copy.resolve("ulm"));
            JsonNode merged = read(DIR.resolve("values.yaml"));
            if (!values.getFileName().toString().equals("values.yaml")) {
                merge((ObjectNode) merged, read(values));
            }
            YAML.writeValue(copy.resolve("ulm").resolve("values.yaml").toFile(), merged);
            return new Helm(copy.resolve("ulm")).lint().strict().call();
        } finally {
            deleteTree(copy);
        }
    }

    /** {@code helm template ulm helm/ulm -f values --set ...}: the manifests as typed objects. */
    static Rendered render(Path values, Map<String, Object> set) {
        // the oldest Kubernetes the chart supports (Chart.yaml kubeVersion): helm-java would otherwise assume 1.20
        TemplateCommand template = new Helm(DIR).template().withName("ulm").withNamespace("ulm").withKubeVersion("1.25.0")
                .withValuesFile(values);
        set.forEach(template::set);
        return new Rendered(parse(template.call()));
    }

    static Rendered render(String valuesFile) {
        return render(DIR.resolve(valuesFile), Map.of());
    }

    static List<HasMetadata> parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            String body = document.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
            if (!body.isBlank()) {
                objects.add(KUBERNETES.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }

    /** The rendered objects of one release. */
    record Rendered(List<HasMetadata> objects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = all(type);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size() + " in " + kinds());
            }
            return found.get(0);
        }

        <T extends HasMetadata> Optional<T> maybe(Class<T> type) {
            return all(type).stream().findFirst();
        }

        Optional<HasMetadata> kind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.getKind())).findFirst();
        }

        List<String> kinds() {
            return objects.stream().map(HasMetadata::getKind).sorted().toList();
        }
    }

    private static JsonNode read(Path file) throws IOException {
        JsonNode node = YAML.readTree(file.toFile());
        return node == null || node.isMissingNode() ? YAML.createObjectNode() : node;
    }

    private static void merge(ObjectNode base, JsonNode overlay) {
        for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue().isObject()) {
                merge(target, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
