package io.ulm.simulation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar quarkus-run.jar simulate [--users N] [--days T] [--seed S] [--start 2024-01-01T00:00:00Z] [--out DIR]}:
 * writes {@code messages.ndjson} (for {@code import ndjson} or {@code POST /v1/import}), {@code items.ndjson} (for
 * {@code POST /v1/items}) and {@code truth.ndjson} into DIR. Plain Java: no database, no service.
 */
public final class SimulateCommand {

    private SimulateCommand() {
    }

    public static int run(String... args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: simulate [--users N] [--days T] [--seed S] [--start <instant>] [--out DIR]");
                return 2;
            }
            options.put(args[i].substring(2), args[++i]);
        }
        SimulationSettings defaults = SimulationSettings.defaults();
        int days = Integer.parseInt(options.getOrDefault("days", String.valueOf(defaults.days())));
        SimulationSettings settings = defaults.withSeed(Long.parseLong(options.getOrDefault("seed", String.valueOf(defaults.seed()))))
                .withScale(Integer.parseInt(options.getOrDefault("users", String.valueOf(defaults.users()))), days, days)
                .withStart(Instant.parse(options.getOrDefault("start", defaults.start().toString())));
        Path out = Path.of(options.getOrDefault("out", "simulation"));
        Files.createDirectories(out);
        Simulator simulator = new Simulator(settings);
        SimulationFiles.writeCatalogue(simulator.catalogue(), out.resolve("items.ndjson"));
        SimulationFiles.Summary summary = SimulationFiles.write(simulator, out.resolve("messages.ndjson"), out.resolve("truth.ndjson"));
        System.out.printf("%,d messages for %,d users over %d days in %.1f s (%,.0f messages/s) -> %s%n", summary.messages(), summary.users(),
                days, summary.seconds(), summary.messagesPerSecond(), out.toAbsolutePath());
        return 0;
    }
}
