package io.ulm.bench;

import io.ulm.it.UlmCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU and memory of the nodes and of PostgreSQL over a phase of a benchmark, from Linux's /proc: CPU seconds used
 * during the phase divided by its wall time (cores used on average) and peak resident memory (VmHWM).
 */
record Usage(String name, double cpuSeconds, double wallSeconds, long peakRssMiB) {

    /** USER_HZ: the unit of the CPU times in /proc/[pid]/stat (100 on Linux/x86-64). */
    private static final double TICKS = 100.0;

    double cores() {
        return wallSeconds <= 0 ? 0 : cpuSeconds / wallSeconds;
    }

    /** e.g. "0.81, 0.77" for the nodes (the last entry, PostgreSQL, left out unless asked). */
    static String cores(List<Usage> usage, boolean withPostgres) {
        List<Usage> nodes = withPostgres ? usage : usage.subList(0, usage.size() - 1);
        return nodes.stream().map(u -> String.format("%.2f", u.cores())).collect(Collectors.joining(", "));
    }

    static String rss(List<Usage> usage) {
        return usage.subList(0, usage.size() - 1).stream().map(u -> Long.toString(u.peakRssMiB())).collect(Collectors.joining(", "));
    }

    /** Starts measuring the nodes and the PostgreSQL started by this JVM. */
    static Meter start(List<UlmCluster.Node> nodes) {
        Map<String, Long> pids = new LinkedHashMap<>();
        nodes.forEach(n -> pids.put(n.id(), n.process().pid()));
        return new Meter(pids, System.nanoTime(), cpuTicks(pids.values()), postgresTicks());
    }

    /** A phase being measured. */
    record Meter(Map<String, Long> pids, long startedNanos, Map<Long, Long> startTicks, long postgresStart) {

        List<Usage> stop() {
            double wall = (System.nanoTime() - startedNanos) / 1e9;
            Map<Long, Long> now = cpuTicks(pids.values());
            List<Usage> out = new ArrayList<>();
            pids.forEach((name, pid) -> out.add(new Usage(name,
                    (now.getOrDefault(pid, 0L) - startTicks.getOrDefault(pid, 0L)) / TICKS, wall, peakRssMiB(pid))));
            out.add(new Usage("postgresql", (postgresTicks() - postgresStart) / TICKS, wall, 0));
            return out;
        }
    }

    private static Map<Long, Long> cpuTicks(Iterable<Long> pids) {
        Map<Long, Long> ticks = new LinkedHashMap<>();
        for (long pid : pids) {
            long[] t = stat(pid);
            ticks.put(pid, t[0] + t[1]);
        }
        return ticks;
    }

    /** The postmaster (pg_ctl daemonises it: it is not a descendant of this JVM). */
    private static volatile long postmaster = -1;

    /** Finds the postmaster as the parent of a backend of {@code jdbcUrl}. */
    static void watchPostgres(String jdbcUrl) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            postmaster = ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
        }
    }

    /**
     * PostgreSQL: the postmaster's own and its reaped children's time (closed connections), plus its live children's
     * (the backends of every node's connections, and its background workers).
     */
    private static long postgresTicks() {
        if (postmaster < 0) {
            return 0;
        }
        long[] t = stat(postmaster);
        long total = t[0] + t[1] + t[2] + t[3];
        for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
            long[] c = stat(child.pid());
            total += c[0] + c[1];
        }
        return total;
    }

    /** utime, stime, cutime, cstime of a process (zeros when it is gone). */
    private static long[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return new long[4];
        }
    }

    private static long peakRssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
