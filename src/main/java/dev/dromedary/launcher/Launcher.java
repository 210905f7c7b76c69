package dev.dromedary.launcher;

import dev.dromedary.app.DromedaryApplication;
import dev.dromedary.app.Settings;
import dev.dromedary.bench.Bench;
import dev.dromedary.samples.SampleCsv;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code ./dromedary} commands: which parts of Dromedary this process runs. */
public final class Launcher {

    static final String USAGE = """
            Usage: ./dromedary [command]

            Commands:
              serve              the HTTP API and both job runners (the default)
              dev                as serve, and a route file changed in ROUTES_DIR is reloaded within
                                 seconds (one that does not parse is reported, the running routes stay)
              jobs first_time [--queue Q[,Q]] [--max-jobs N] [--interval S]
                                 the first-time runner only (no HTTP, inbox or schedules): claims open
                                 jobs the moment they are created, per queue (QUEUES) with its workers;
                                 --queue runs only those queues, --max-jobs stops after N jobs ran,
                                 --interval polls every S seconds besides (TICKER_INTERVAL_SECONDS)
              jobs retry [--max-jobs N] [--interval S]
                                 the retry runner only (no HTTP, inbox or schedules): claims failed
                                 jobs that are due, one worker
              jobs wait UUID... [--timeout 30m]
                                 waits for jobs of a running Dromedary (DROMEDARY_URL) to end: a progress
                                 bar on a terminal, else a line per change of state; exits 0 when all
                                 completed, 1 when one failed for good, 2 when one was cancelled, 3 at the
                                 timeout, 4 when the API cannot be reached, refuses the key or knows no job
              jobs create [--wait] [--timeout 30m] JSON|-
                                 creates a job (the body of POST /common/jobs/create; - reads standard
                                 input), prints its uuid, and with --wait waits for it as jobs wait does
              status [--watch]   what a running Dromedary (DROMEDARY_URL) is doing: jobs by status and
                                 queue, running jobs with progress, the oldest waiting job, dead letters,
                                 instances alive; --watch redraws it every 2 seconds
              report UUID [--html FILE]
                                 the report of a job of a running Dromedary: its attempts, rows read,
                                 landed and dead, dead letters by reason, rows a second; --html writes
                                 the self-contained page to FILE
              sample DATASET [--rows N] [--seed S]
                                 writes a CSV of N (1000) made-up contact or company rows to standard
                                 output, the same for the same seed (42)
              dlq stats|list|reprocess [--job UUID] [--limit N]
                                 the dead letters of a running Dromedary (DROMEDARY_URL, default
                                 http://localhost:HTTP_PORT): counts by job and reason, the rows, or a
                                 reprocess_dead_letters job that sends them through the sinks again
              dataset infer FILE|s3://BUCKET/KEY --name NAME [--rows N] [--force]
                                 proposes a dataset from a sample (10000 rows) of a CSV, .xlsx or
                                 .jsonl file: column types, a key, facets; writes datasets/NAME.yaml and
                                 its migration, says why, and overwrites nothing without --force
              dataset check NAME FILE|s3://BUCKET/KEY [--rows N]
                                 runs dataset NAME's transform and validation rules over the file's first
                                 N (100000) rows, writing nothing: what would land, and each row that would
                                 be a dead letter with its rule; exits 3 when a row would not land
              bench [--rows N] [--batch N] [--in-flight N] [--workers N] [--bulk N] [--senders N]
                    [--jobs N] [--history N] [--steps copy,bulk,import,export,jobs,pickup,formats,partitions,reimport]
                    [--services configured]
                    [--repeat N]
                                 measures an import and an export of N (1000000) generated rows against
                                 PostgreSQL COPY, Elasticsearch _bulk and a bare scan, N no-op jobs (in a
                                 jobs table that holds --history (1000000) finished jobs), and
                                 the pickup latency of 1,000 jobs created at 100/s,
                                 on embedded services under DATA_DIR/bench (or the configured ones, whose
                                 contact table and index it empties); prints a table, writes JSON there;
                                 the step formats (only when named) imports the rows as csv.gz, jsonl
                                 and xlsx too, each against CSV; --repeat runs the steps N times and
                                 reports each figure's median and range; its own ports and services
                                 win over the environment, every wait has a deadline, Ctrl-C stops it
              help               this text

            Settings come from application.properties; an environment variable of the same name
            overrides each one (DATABASE_URL, HTTP_PORT, API_KEYS, PARALLEL_JOBS, ...).
            With no DATABASE_URL, an embedded PostgreSQL keeps its data under DATA_DIR (./data).
            """;

    /** What {@code dev} sets: Camel's route reload, watching the route files. */
    static final Map<String, String> DEV = Map.of(
            "camel.main.routes-reload-enabled", "true",
            "camel.main.routes-reload-directory", "{{ROUTES_DIR}}",
            "camel.main.routes-reload-pattern", "*.camel.yaml",
            // only the routes of the changed file: a file that fails to load leaves every other route running
            "camel.main.routes-reload-remove-all-routes", "false");

    private final PrintStream out;
    private final OutputStream data;

    /** {@code out} takes the usage text and the reason a start failed; a sample goes to standard output. */
    public Launcher(PrintStream out) {
        this(out, System.out);
    }

    /** As {@link #Launcher(PrintStream)}, with the rows of a sample written to {@code data}. */
    public Launcher(PrintStream out, OutputStream data) {
        this.out = out;
        this.data = data;
    }

    /** Runs the command and returns the process's exit code. */
    public int run(String... args) throws Exception {
        if (isHelp(args)) {
            out.print(USAGE);
            return 0;
        }
        if (args.length > 0 && args[0].equals("sample")) {
            return sample(List.of(args).subList(1, args.length));
        }
        if (args.length > 0 && args[0].equals("bench")) {
            try {
                new Bench(Bench.Options.parse(List.of(args).subList(1, args.length)), out).run();
                return 0;
            } catch (IllegalArgumentException e) {
                out.println("dromedary bench: " + e.getMessage());
                return 2;
            }
        }
        if (args.length > 0 && args[0].equals("dataset")) {
            try {
                return new DatasetCommand(out, Settings.ofWorkingDirectory()).run(List.of(args).subList(1, args.length));
            } catch (IOException e) {
                out.println("dromedary dataset: " + e.getMessage());
                return 1;
            }
        }
        if (args.length > 0 && args[0].equals("status")) {
            try {
                return new StatusCommand(out, Settings.ofWorkingDirectory()).run(List.of(args).subList(1, args.length));
            } catch (IOException e) {
                out.println("dromedary status: " + e.getMessage());
                return 1;
            }
        }
        if (args.length > 0 && args[0].equals("report")) {
            try {
                return new ReportCommand(out, Settings.ofWorkingDirectory()).run(List.of(args).subList(1, args.length));
            } catch (IOException e) {
                out.println("dromedary report: " + e.getMessage());
                return 1;
            }
        }
        if (args.length > 0 && args[0].equals("dlq")) {
            try {
                return new DeadLetterCommand(out, Settings.ofWorkingDirectory()).run(List.of(args).subList(1, args.length));
            } catch (IOException e) {
                out.println("dromedary dlq: " + e.getMessage());
                return 1;
            }
        }
        if (args.length > 1 && args[0].equals("jobs") && List.of("wait", "create").contains(args[1])) {
            return new JobsCommand(out, new PrintStream(data, true, StandardCharsets.UTF_8), Settings.ofWorkingDirectory(), System.in,
                    System.console() != null)
                    .run(List.of(args).subList(1, args.length));
        }
        Map<String, String> overrides = overridesFor(List.of(args));
        if (overrides == null) {
            out.print(USAGE);
            return isHelp(args) ? 0 : 2;
        }
        try {
            new DromedaryApplication(overrides).run();
            return 0;
        } catch (Exception e) {
            out.println("dromedary could not start: " + rootCause(e).getMessage());
            return 1;
        }
    }

    private int sample(List<String> args) throws IOException {
        if (args.isEmpty() || !List.of("contact", "company").contains(args.get(0)) || args.size() % 2 == 0) {
            out.print(USAGE);
            return 2;
        }
        long rows = 1000;
        long seed = 42;
        for (int i = 1; i < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--rows" -> rows = Long.parseLong(args.get(i + 1));
                case "--seed" -> seed = Long.parseLong(args.get(i + 1));
                default -> {
                    out.print(USAGE);
                    return 2;
                }
            }
        }
        Writer stdout = new BufferedWriter(new OutputStreamWriter(data, StandardCharsets.UTF_8), 1 << 16);
        new SampleCsv(seed).write(args.get(0), rows, stdout);
        stdout.flush();
        return 0;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The settings a command sets, or null when the command is not one of ours. */
    static Map<String, String> overridesFor(List<String> args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (args.isEmpty() || args.equals(List.of("serve"))) {
            return overrides;
        }
        if (args.equals(List.of("dev"))) {
            overrides.putAll(DEV);
            return overrides;
        }
        if (args.size() < 2 || !args.get(0).equals("jobs") || args.size() % 2 != 0) {
            return null;
        }
        if (args.get(1).equals("first_time")) {
            overrides.put("RETRY_RUNNER_ENABLED", "false");
        } else if (args.get(1).equals("retry")) {
            overrides.put("FIRST_TIME_RUNNER_ENABLED", "false");
        } else {
            return null;
        }
        for (int i = 2; i < args.size(); i += 2) {
            String value = args.get(i + 1);
            switch (args.get(i)) {
                case "--queue" -> {
                    if (!args.get(1).equals("first_time") || !value.matches("[a-z0-9][a-z0-9_-]*(,[a-z0-9][a-z0-9_-]*)*")) {
                        return null;
                    }
                    overrides.put("RUN_QUEUES", value);
                }
                case "--max-jobs" -> {
                    if (!value.matches("[1-9][0-9]{0,8}")) {
                        return null;
                    }
                    overrides.put("MAX_JOBS", value);
                }
                case "--interval" -> {
                    if (!value.matches("[0-9]{1,6}(\\.[0-9]{1,3})?") || Double.parseDouble(value) <= 0) {
                        return null;
                    }
                    overrides.put("TICKER_INTERVAL_SECONDS", value);
                }
                default -> {
                    return null;
                }
            }
        }
        // a runner process serves no HTTP, so that several of them can run on one machine, and leaves the inbox
        // and the schedules to the instances that serve the API
        overrides.put("camel.server.enabled", "false");
        overrides.put("INBOX_ENABLED", "false");
        overrides.put("SCHEDULES_ENABLED", "false");
        overrides.put("camel.main.routes-exclude-pattern", "file:{{ROUTES_DIR}}/*-api.camel.yaml");
        return overrides;
    }

    private static boolean isHelp(String[] args) {
        return args.length >= 1 && List.of("help", "--help", "-h").contains(args[args.length - 1]);
    }
}
