package io.ulm.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of the container build (src-native) without a container builder: base images pinned to a
 * version, the port the images expose is the application's, every repository file they copy from outside target/
 * exists (target/quarkus-app is checked after package by ContainerFilesIT), and the image names the chart pulls are the
 * ones src-native/README.md builds.
 */
class ContainerFilesTest {

    @Test
    void theJvmAndCudaImagesExist() {
        assertThat(Dockerfiles.all()).extracting(p -> p.getFileName().toString()).contains("Dockerfile.jvm", "Dockerfile.cuda");
    }

    @Test
    void baseImagesArePinnedToAVersion() {
        for (Path dockerfile : Dockerfiles.all()) {
            List<String> images = Dockerfiles.read(dockerfile).stream().filter(i -> i.keyword().equals("FROM")).map(i -> i.args().get(0)).toList();
            assertThat(images).as(dockerfile.toString()).isNotEmpty().allSatisfy(image -> {
                // repository:tag with a version in the tag (or a digest); never a floating latest
                assertThat(image).as(dockerfile + ": " + image).matches("[a-z0-9./_-]+(:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*|@sha256:[0-9a-f]{64})");
                assertThat(image).doesNotContain(":latest");
            });
        }
    }

    @Test
    void theImagesExposeTheApplicationsPortAndRunUnprivileged() {
        for (Path dockerfile : Dockerfiles.all()) {
            List<Dockerfiles.Instruction> instructions = Dockerfiles.read(dockerfile);
            assertThat(instructions).as(dockerfile + " EXPOSE").anySatisfy(i -> {
                assertThat(i.keyword()).isEqualTo("EXPOSE");
                assertThat(i.args()).containsExactly(Integer.toString(AppConfig.httpPort()));
            });
            assertThat(instructions.stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).orElseThrow().args())
                    .as(dockerfile + ": the last USER (the chart's runAsUser)").containsExactly("185");
        }
    }

    @Test
    void everyRepositoryFileTheImagesCopyExists() {
        for (Path dockerfile : Dockerfiles.all()) {
            List<String> sources = Dockerfiles.copySources(dockerfile);
            assertThat(sources).as(dockerfile + " copies the fast-jar").contains("target/quarkus-app/lib/", "target/quarkus-app/*.jar");
            for (String source : sources.stream().filter(s -> !s.startsWith("target/")).toList()) {
                assertThat(Dockerfiles.matches(source)).as(dockerfile + ": COPY " + source).isNotEmpty();
            }
        }
        assertThat(Files.isExecutable(Path.of("src-native/run-java.sh"))).as("run-java.sh is executable").isTrue();
    }

    @Test
    void theChartPullsTheImagesTheReadmeBuilds() throws Exception {
        String readme = Files.readString(Path.of("src-native/README.md"));
        String version = AppConfig.chartAppVersion();
        Chart.Rendered cpu = Chart.render("values.yaml");
        Chart.Rendered gpu = Chart.render("values-gpu.yaml");
        String jvmImage = cpu.one(io.fabric8.kubernetes.api.model.apps.Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        String cudaImage = gpu.one(io.fabric8.kubernetes.api.model.apps.Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertThat(readme).contains("docker build -f src-native/Dockerfile.jvm -t " + jvmImage + " .")
                .contains("docker build -f src-native/Dockerfile.cuda -t " + cudaImage + " .");
        assertThat(Files.readString(Path.of("src-native/Dockerfile.jvm"))).contains("-t " + jvmImage + " .");
        assertThat(Files.readString(Path.of("src-native/Dockerfile.cuda"))).contains("-t " + cudaImage + " .").contains("-Pgpu");
        assertThat(jvmImage).endsWith(":" + version);
    }
}
