package dev.dromedary.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * What a stretch of jobs cost in CPU: the JVM's (this process, where the bench runs Dromedary) and PostgreSQL's
 * (the postmaster and its backends, read from /proc when the server runs on this machine), and the statements
 * that took PostgreSQL's time (pg_stat_statements, when the server loads it: the embedded one does).
 */
final class JobCosts {

    /** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;
    private static final int STATEMENTS = 6;

    private final DataSource dataSource;
    private final long jvmNanos;
    private final OptionalLong postgresTicks;
    private final boolean statements;

    private JobCosts(DataSource dataSource, long jvmNanos, OptionalLong postgresTicks, boolean statements) {
        this.dataSource = dataSource;
        this.jvmNanos = jvmNanos;
        this.postgresTicks = postgresTicks;
        this.statements = statements;
    }

    /** Starts counting: the CPU used so far, and pg_stat_statements emptied. */
    static JobCosts start(DataSource dataSource) throws SQLException {
        boolean statements;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_statements_reset()");
            statements = true;
        } catch (SQLException notLoaded) {
            statements = false;
        }
        return new JobCosts(dataSource, jvmCpuNanos(), postgresTicks(dataSource), statements);
    }

    /**
     * The CPU milliseconds per unit (a job, a thousand rows) since {@link #start}, and PostgreSQL's costliest statements
     * per unit: {@code <prefix>jvm_cpu_ms_per_<unit>}, {@code <prefix>postgres_cpu_ms_per_<unit>}, {@code <prefix>statements}.
     */
    Map<String, Object> per(double units, String prefix, String unit) throws SQLException {
        Map<String, Object> costs = new LinkedHashMap<>();
        costs.put(prefix + "jvm_cpu_ms_per_" + unit, round((jvmCpuNanos() - jvmNanos) / 1e6 / units));
        OptionalLong now = postgresTicks(dataSource);
        if (postgresTicks.isPresent() && now.isPresent()) {
            costs.put(prefix + "postgres_cpu_ms_per_" + unit, round((now.getAsLong() - postgresTicks.getAsLong()) * 1000 / TICKS_PER_SECOND / units));
        }
        if (statements) {
            costs.put(prefix + "statements", costliestStatements(units));
        }
        return costs;
    }

    private List<Map<String, Object>> costliestStatements(double units) throws SQLException {
        List<Map<String, Object>> costliest = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             var result = statement.executeQuery("SELECT trim(regexp_replace(regexp_replace(query, '--[^\\n]*', '', 'g'), '\\s+', ' ', 'g')), calls, total_exec_time "
                     + "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                     + "ORDER BY total_exec_time DESC LIMIT " + STATEMENTS)) {
            while (result.next()) {
                Map<String, Object> each = new LinkedHashMap<>();
                String query = result.getString(1);
                each.put("statement", query.length() > 70 ? query.substring(0, 70) + "…" : query);
                each.put("calls", round(result.getLong(2) / units));
                each.put("ms", round(result.getDouble(3) / units));
                costliest.add(each);
            }
        }
        return costliest;
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The postmaster's CPU with that of the backends it has reaped, and its live backends': empty when the server
     * is not a process of this machine.
     */
    private static OptionalLong postgresTicks(DataSource dataSource) {
        long backend;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             var result = statement.executeQuery("SELECT pg_backend_pid()")) {
            result.next();
            backend = result.getLong(1);
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
        try {
            String[] ours = stat(Path.of("/proc", String.valueOf(backend), "stat"));
            if (ours == null || !ours[2].equals("postgres")) {
                return OptionalLong.empty();
            }
            long postmaster = field(ours, 4);
            String[] master = stat(Path.of("/proc", String.valueOf(postmaster), "stat"));
            if (master == null) {
                return OptionalLong.empty();
            }
            long ticks = field(master, 14) + field(master, 15) + field(master, 16) + field(master, 17);
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path process : (Iterable<Path>) processes::iterator) {
                    if (process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                        String[] child = stat(process.resolve("stat"));
                        if (child != null && field(child, 4) == postmaster) {
                            ticks += field(child, 14) + field(child, 15);
                        }
                    }
                }
            }
            return OptionalLong.of(ticks);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** /proc/PID/stat split into fields numbered from 1 as proc(5) numbers them (2 the command, without its parentheses; 4 the parent); null when gone. */
    private static String[] stat(Path file) {
        String line;
        try {
            line = Files.readString(file);
        } catch (IOException gone) {
            return null;
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        String[] rest = line.substring(close + 2).trim().split(" ");
        String[] fields = new String[rest.length + 3];
        fields[1] = line.substring(0, open).trim();
        fields[2] = line.substring(open + 1, close);
        System.arraycopy(rest, 0, fields, 3, rest.length);
        return fields;
    }

    private static long field(String[] stat, int number) {
        return Long.parseLong(stat[number]);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
