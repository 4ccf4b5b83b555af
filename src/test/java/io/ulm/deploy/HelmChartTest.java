package io.ulm.deploy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart (helm/ulm) for every values file: it lints strictly and renders objects that fit together (the Service,
 * HPA and PDB select the Deployment's pods, the pods read the ConfigMap and the Secret the chart names), with the
 * probes on Quarkus' health endpoints and the port the application listens on; GPU scheduling, external PostgreSQL and
 * Kafka, a chart-made Secret and its refusals; every ULM_* variable the chart sets is one the application reads.
 */
class HelmChartTest {

    static List<Path> valuesFiles() {
        List<Path> files = Chart.valuesFiles();
        assertThat(files).extracting(f -> f.getFileName().toString())
                .contains("values.yaml", "values-gpu.yaml", "values-external.yaml");
        return files;
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void lintsStrictlyWithoutFindings(Path values) throws Exception {
        LintResult lint = Chart.lint(values);
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).as("lint findings").noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    /** Lint renders the templates and parses what they produce (required values are only rendering's: see below). */
    @Test
    void lintFailsOnValuesThatBreakTheManifests(@TempDir Path dir) throws Exception {
        LintResult lint = Chart.lint(write(dir, "values-broken.yaml", "podAnnotations: \"not: [a map\"\n"));
        assertThat(lint.isFailed()).as(lint.getMessages().toString()).isTrue();
        assertThat(lint.getMessages()).anyMatch(m -> m.startsWith("[ERROR] templates/deployment.yaml"));
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void rendersObjectsThatFitTogether(Path values) {
        Chart.Rendered r = Chart.render(values, Map.of());
        Deployment deployment = r.one(Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isNotEmpty();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        Container ulm = container(deployment);
        assertThat(ulm.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(AppConfig.httpPort());
        });
        assertThat(ulm.getStartupProbe().getHttpGet().getPath()).isEqualTo(AppConfig.HEALTH + "/started");
        assertThat(ulm.getReadinessProbe().getHttpGet().getPath()).isEqualTo(AppConfig.HEALTH + "/ready");
        assertThat(ulm.getLivenessProbe().getHttpGet().getPath()).isEqualTo(AppConfig.HEALTH + "/live");
        assertThat(List.of(ulm.getStartupProbe(), ulm.getReadinessProbe(), ulm.getLivenessProbe()))
                .allSatisfy(p -> assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("http"));
        assertThat(ulm.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(ulm.getResources().getLimits()).containsKey("memory");
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThan(30);

        ConfigMap config = r.one(ConfigMap.class);
        assertThat(ulm.getEnvFrom()).anySatisfy(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo(config.getMetadata().getName()));
        assertThat(config.getData().get("ULM_DB_URL")).startsWith("jdbc:postgresql://");
        String secretName = ulm.getEnvFrom().stream().filter(e -> e.getSecretRef() != null).findFirst().orElseThrow().getSecretRef().getName();
        assertThat(secretName).isNotBlank();

        Service service = r.one(Service.class);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));

        HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        assertThat(deployment.getSpec().getReplicas()).as("the HPA owns the replica count").isNull();

        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).as("a PDB that still lets a machine be drained")
                .isPositive().isLessThan(hpa.getSpec().getMinReplicas());

        // every ULM_* variable is one the application reads
        Set<String> variables = new TreeSet<>(config.getData().keySet());
        r.maybe(Secret.class).ifPresent(s -> variables.addAll(s.getStringData().keySet()));
        ulm.getEnv().stream().map(EnvVar::getName).forEach(variables::add);
        assertThat(variables.stream().filter(v -> v.startsWith("ULM_"))).allSatisfy(v -> assertThat(AppConfig.knows(v)).as(v).isTrue());
    }

    @Test
    void theDefaultIsTheJvmImageOnCpuWithSecretsFromAnExistingSecret() throws Exception {
        Chart.Rendered r = Chart.render("values.yaml");
        Deployment deployment = r.one(Deployment.class);
        Container ulm = container(deployment);
        assertThat(ulm.getImage()).isEqualTo("ulm/ulm:" + AppConfig.chartAppVersion());
        assertThat(AppConfig.chartAppVersion()).as("Chart.yaml appVersion = pom version").isEqualTo(AppConfig.pomVersion().replace("-SNAPSHOT", ""));
        assertThat(ulm.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getRuntimeClassName()).isNull();
        ConfigMap config = r.one(ConfigMap.class);
        assertThat(config.getData()).doesNotContainKey("ULM_KAFKA_BOOTSTRAP_SERVERS").containsEntry("ULM_MODELS_EXECUTION_PROVIDER", "cpu")
                .containsEntry("ULM_LOG_JSON", "true");
        assertThat(r.maybe(Secret.class)).isEmpty();
        assertThat(secretRefs(ulm)).containsExactly("ulm-secrets");
        assertThat(r.kind("ServiceMonitor")).isEmpty();
        assertThat(ulm.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(ulm.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }

    @Test
    void gpuValuesScheduleOnGpuNodesWithTheCudaImage() {
        Chart.Rendered r = Chart.render("values-gpu.yaml");
        Deployment deployment = r.one(Deployment.class);
        Container ulm = container(deployment);
        assertThat(ulm.getImage()).isEqualTo("ulm/ulm:" + AppConfig.chartAppVersion() + "-cuda12");
        assertThat(ulm.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1")).containsKey("memory");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(r.one(ConfigMap.class).getData()).containsEntry("ULM_MODELS_EXECUTION_PROVIDER", "cuda");
    }

    @Test
    void externalValuesPointAtTheManagedDatabaseAndKafkaAndAddAServiceMonitor() {
        Chart.Rendered r = Chart.render("values-external.yaml");
        ConfigMap config = r.one(ConfigMap.class);
        assertThat(config.getData().get("ULM_DB_URL")).contains("sslmode=verify-full");
        assertThat(config.getData().get("ULM_KAFKA_BOOTSTRAP_SERVERS").split(",")).hasSize(3);
        Container ulm = container(r.one(Deployment.class));
        assertThat(ulm.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("KAFKA_SASL_JAAS_CONFIG");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("ulm-external");
        });
        HasMetadata monitor = r.kind("ServiceMonitor").orElseThrow();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = ((List<Map<String, Object>>) ((GenericKubernetesResource) monitor).get("spec", "endpoints")).get(0);
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", AppConfig.METRICS);
        assertThat(r.one(Service.class).getSpec().getSelector()).containsAllEntriesOf(
                ((GenericKubernetesResource) monitor).<Map<String, String>>get("spec", "selector", "matchLabels"));
    }

    @Test
    void aChartMadeSecretCarriesTheKeysAndRefusesIncompleteOnes(@TempDir Path dir) throws Exception {
        String secrets = """
                secrets:
                  create: true
                  databaseUsername: ulm
                  databasePassword: pw
                  masterKey: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
                  apiKeys:
                    write: "w-secret:ingest"
                    ops: "a-secret:admin,read,ingest"
                """;
        Chart.Rendered r = Chart.render(write(dir, "secrets.yaml", secrets), Map.of());
        Secret secret = r.one(Secret.class);
        assertThat(secret.getStringData()).containsEntry("ULM_SECURITY_KEYS_WRITE", "w-secret:ingest")
                .containsEntry("ULM_SECURITY_KEYS_OPS", "a-secret:admin,read,ingest").containsEntry("ULM_DB_PASSWORD", "pw")
                .containsEntry("ULM_PRIVACY_MASTER_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        assertThat(secretRefs(container(r.one(Deployment.class)))).containsExactly(secret.getMetadata().getName());

        Path noKey = write(dir, "no-key.yaml", secrets.replaceAll("(?m)^  masterKey: .*\\n", ""));
        assertThatThrownBy(() -> Chart.render(noKey, Map.of())).hasMessageContaining("secrets.masterKey");
        Path badRole = write(dir, "bad-role.yaml", secrets.replace("w-secret:ingest", "w-secret:write"));
        assertThatThrownBy(() -> Chart.render(badRole, Map.of())).hasMessageContaining("secrets.apiKeys.write");
        Path noKeys = write(dir, "no-keys.yaml", secrets.substring(0, secrets.indexOf("  apiKeys:")));
        assertThatThrownBy(() -> Chart.render(noKeys, Map.of())).hasMessageContaining("at least one key");
    }

    private static Path write(Path dir, String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name), yaml);
    }

    private static List<String> secretRefs(Container c) {
        return c.getEnvFrom().stream().filter(e -> e.getSecretRef() != null).map(e -> e.getSecretRef().getName()).toList();
    }

    @Test
    void withoutAutoscalingTheDeploymentKeepsAFixedReplicaCount() {
        Chart.Rendered r = Chart.render(Chart.DIR.resolve("values.yaml"), Map.of("autoscaling.enabled", "false", "replicaCount", "3"));
        assertThat(r.maybe(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(r.one(Deployment.class).getSpec().getReplicas()).isEqualTo(3);
        assertThat(Files.isRegularFile(Chart.DIR.resolve("Chart.yaml"))).isTrue();
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("ulm")).findFirst().orElseThrow();
    }
}
