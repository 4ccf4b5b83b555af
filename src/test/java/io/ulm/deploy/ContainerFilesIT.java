package io.ulm.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After {@code package} (failsafe, integration-test phase): every path the Dockerfiles copy from target/ exists and is
 * not empty, so {@code docker build} would find the fast-jar the way the images expect it. Fails, rather than skips,
 * when the package is missing.
 */
class ContainerFilesIT {

    @Test
    void everyPackagedFileTheImagesCopyExists() throws Exception {
        assertThat(Path.of("target/quarkus-app/quarkus-run.jar")).as("run after package").isRegularFile();
        for (Path dockerfile : Dockerfiles.all()) {
            for (String source : Dockerfiles.copySources(dockerfile)) {
                List<Path> found = Dockerfiles.matches(source);
                assertThat(found).as(dockerfile + ": COPY " + source).isNotEmpty();
                if (Files.isDirectory(found.get(0))) {
                    try (var files = Files.list(found.get(0))) {
                        assertThat(files.count()).as(source + " is not empty").isPositive();
                    }
                }
            }
        }
        // the serving runtime is in the layer the images copy (the CPU build; -Pgpu puts onnxruntime_gpu there)
        try (var libs = Files.list(Path.of("target/quarkus-app/lib/main"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("com.microsoft.onnxruntime.onnxruntime"));
        }
    }
}
