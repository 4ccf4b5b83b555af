package io.ulm.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The Dockerfiles of src-native, read as instructions (continuation lines joined, comments dropped). */
final class Dockerfiles {

    static final Path DIR = Path.of("src-native");

    /** One instruction: keyword and arguments. */
    record Instruction(String keyword, List<String> args) {
    }

    private Dockerfiles() {
    }

    static List<Path> all() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().startsWith("Dockerfile")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Instruction> read(Path dockerfile) {
        try {
            String text = Files.readString(dockerfile).replaceAll("\\\\\\r?\\n", " ");
            List<Instruction> instructions = new ArrayList<>();
            for (String line : text.split("\\r?\\n")) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] words = trimmed.split("\\s+");
                instructions.add(new Instruction(words[0].toUpperCase(java.util.Locale.ROOT), Arrays.asList(words).subList(1, words.length)));
            }
            return instructions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The build-context paths a COPY or ADD takes from the repository (not from another stage), flags dropped. */
    static List<String> copySources(Path dockerfile) {
        List<String> sources = new ArrayList<>();
        for (Instruction i : read(dockerfile)) {
            if ((i.keyword().equals("COPY") || i.keyword().equals("ADD")) && i.args().stream().noneMatch(a -> a.startsWith("--from="))) {
                List<String> args = i.args().stream().filter(a -> !a.startsWith("--")).toList();
                sources.addAll(args.subList(0, args.size() - 1));
            }
        }
        return sources;
    }

    /** The files of the repository a COPY source (maybe a glob, maybe a directory) takes: none means it is missing. */
    static List<Path> matches(String source) {
        String clean = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        if (!clean.contains("*")) {
            Path p = Path.of(clean);
            return Files.exists(p) ? List.of(p) : List.of();
        }
        Path parent = Path.of(clean).getParent();
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + clean);
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(parent)) {
            return files.filter(glob::matches).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
