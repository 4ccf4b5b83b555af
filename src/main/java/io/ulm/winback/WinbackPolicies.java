package io.ulm.winback;

import io.ulm.segment.DefinitionException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Every policy in a directory ({@code projections/winback/}), by campaign id; the first bad file fails the load. */
public final class WinbackPolicies {

    /** The default directory of policy files. */
    public static final Path DEFAULT_DIRECTORY = Path.of("projections/winback");

    private WinbackPolicies() {
    }

    /** Loads every {@code *.yaml}/{@code *.yml} file in file-name order; a campaign id may appear only once. */
    public static Map<String, WinbackPolicy> load(Path directory) {
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list win-back policies in " + directory, e);
        }
        Map<String, WinbackPolicy> policies = new LinkedHashMap<>();
        for (Path file : files) {
            WinbackPolicy p = WinbackPolicy.load(file);
            WinbackPolicy before = policies.putIfAbsent(p.campaignId(), p);
            if (before != null) {
                throw new DefinitionException(file.toString(), 1, 1, "campaign '" + p.campaignId() + "' is already defined in "
                        + before.file());
            }
        }
        return policies;
    }
}
