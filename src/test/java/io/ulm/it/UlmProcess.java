package io.ulm.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged service (target/quarkus-app) started as a separate JVM on an external PostgreSQL,
 * as an operator would run it: for tests that kill a process or run several.
 */
public final class UlmProcess {

    public static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    public static final String ADMIN_KEY = "it-admin-key";

    private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();

    private UlmProcess() {
    }

    /** Starts {@code java -jar quarkus-run.jar <args>} against {@code jdbcUrl}; output goes to {@code log}. */
    public static Process start(String jdbcUrl, Path log, String... args) throws IOException {
        return start(jdbcUrl, log, Map.of(), args);
    }

    /** The same, with more environment variables (e.g. QUARKUS_HTTP_PORT). */
    public static Process start(String jdbcUrl, Path log, Map<String, String> extraEnv, String... args) throws IOException {
        return start(jdbcUrl, log, extraEnv, List.of("-Xmx1g"), args);
    }

    /** The same, with these JVM options instead of the default heap (several nodes on one machine need small heaps). */
    public static Process start(String jdbcUrl, Path log, Map<String, String> extraEnv, List<String> jvmOptions, String... args)
            throws IOException {
        String jar = System.getProperty("ulm.app.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("The packaged service is missing (" + jar + "): run 'mvn verify', which packages before *IT tests");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        // e.g. -Dulm.it.jvm-args=-XX:StartFlightRecording=filename=/tmp/ulm.jfr to profile the service under a benchmark
        String extra = System.getProperty("ulm.it.jvm-args", "");
        if (!extra.isBlank()) {
            // "%n" becomes the number of the process started, so that each writes its own file
            command.addAll(List.of(extra.replace("%n", String.valueOf(STARTED.incrementAndGet())).trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("ULM_DB_URL", jdbcUrl);
        env.put("ULM_DB_USERNAME", "postgres");
        env.put("ULM_DB_PASSWORD", "postgres");
        env.put("ULM_PRIVACY_MASTER_KEY", MASTER_KEY);
        env.put("ULM_SECURITY_KEYS_ADMIN", ADMIN_KEY + ":admin,read,ingest");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.putAll(extraEnv);
        return builder.start();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
    }
}
