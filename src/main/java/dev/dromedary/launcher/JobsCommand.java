package dev.dromedary.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.app.Durations;
import dev.dromedary.app.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ./dromedary jobs wait UUID… [--timeout 30m]} and {@code ./dromedary jobs create [--wait] JSON}: what an
 * orchestrator (cron, a shell script, Airflow's BashOperator) runs to wait for jobs of a running Dromedary. The
 * exit code says how they ended: 0 all completed, 1 one failed for good, 2 one was cancelled, 3 the timeout came
 * first, 4 the API could not be reached, refused the key or knows no such job.
 */
final class JobsCommand {

    static final int COMPLETED = 0;
    static final int FAILED = 1;
    static final int CANCELLED = 2;
    static final int TIMED_OUT = 3;
    static final int UNREACHABLE = 4;
    static final String USAGE = "Usage: ./dromedary jobs wait UUID [UUID ...] [--timeout 30m]\n"
            + "       ./dromedary jobs create [--wait] [--timeout 30m] JSON|-   (the body of POST /common/jobs/create; - reads it from standard input)\n";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** How long the API may be away (a restart, say) before a wait gives up on it. */
    private static final Duration API_AWAY = Duration.ofSeconds(30);
    private static final Duration FIRST_POLL = Duration.ofMillis(250);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(2);
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final PrintStream result;
    private final ApiClient api;
    private final InputStream in;
    private final boolean terminal;

    /** {@code result} takes a created job's uuid alone, for a script to capture; {@code out} the progress and the outcome. */
    JobsCommand(PrintStream out, PrintStream result, Settings settings, InputStream in, boolean terminal) {
        this.out = out;
        this.result = result;
        this.api = new ApiClient(settings);
        this.in = in;
        this.terminal = terminal;
    }

    int run(List<String> args) throws InterruptedException {
        if (args.isEmpty()) {
            out.print(USAGE);
            return 2;
        }
        boolean wait = args.get(0).equals("wait");
        boolean create = args.get(0).equals("create");
        if (!wait && !create) {
            out.print(USAGE);
            return 2;
        }
        Duration timeout = Duration.ofMinutes(30);
        List<String> operands = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--timeout") && i + 1 < args.size()) {
                timeout = Durations.parse(args.get(++i));
                if (timeout == null) {
                    out.println("dromedary jobs: --timeout is a duration such as 90s, 30m, 2h or 1d");
                    return 2;
                }
            } else if (arg.equals("--wait") && create) {
                wait = true;
            } else if (arg.startsWith("--")) {
                out.print(USAGE);
                return 2;
            } else {
                operands.add(arg);
            }
        }
        try {
            if (create) {
                if (operands.size() != 1) {
                    out.print(USAGE);
                    return 2;
                }
                String uuid = create(operands.get(0).equals("-")
                        ? new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8) : operands.get(0));
                result.println(uuid);
                result.flush();
                return wait ? await(List.of(uuid), timeout) : COMPLETED;
            }
            if (operands.isEmpty() || operands.size() > 1000 || !operands.stream().allMatch(uuid -> UUID.matcher(uuid).matches())) {
                out.println("dromedary jobs wait: name 1 to 1,000 job uuids");
                return 2;
            }
            return await(List.copyOf(new java.util.LinkedHashSet<>(operands)), timeout);
        } catch (ApiRefused e) {
            out.println("dromedary jobs: " + e.getMessage());
            return UNREACHABLE;
        } catch (IOException e) {
            out.println("dromedary jobs: " + e.getMessage());
            return UNREACHABLE;
        }
    }

    private String create(String body) throws IOException, InterruptedException {
        HttpResponse<String> answer = api.post("/common/jobs/create", body);
        JsonNode json = ApiClient.JSON.readTree(answer.body());
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new ApiRefused("the API refused the key: " + json.path("error").asText());
        }
        if (answer.statusCode() >= 300 || !json.has("uuid")) {
            throw new ApiRefused("the job was not created (" + answer.statusCode() + "): " + json.path("error").asText(answer.body()));
        }
        return json.get("uuid").asText();
    }

    /** Waits until every job has ended for good, or the timeout; says how on the terminal or line by line. */
    private int await(List<String> uuids, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> states = new LinkedHashMap<>();
        Map<String, Double> percents = new LinkedHashMap<>();
        Duration poll = FIRST_POLL;
        long awaySince = 0;
        boolean reached = false;
        while (true) {
            for (String uuid : uuids) {
                if (ended(states.get(uuid))) {
                    continue;
                }
                JsonNode job;
                try {
                    job = job(uuid);
                    awaySince = 0;
                    reached = true;
                } catch (ApiRefused e) {
                    throw e;
                } catch (IOException e) {
                    if (!reached) {
                        throw e;
                    }
                    if (awaySince == 0) {
                        awaySince = System.nanoTime();
                    }
                    if (System.nanoTime() - awaySince > API_AWAY.toNanos()) {
                        throw e;
                    }
                    break;
                }
                String state = state(job);
                double percent = job.at("/progress/percent").asDouble(-1);
                if (!state.equals(states.put(uuid, state)) && !terminal) {
                    out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + uuid + " " + state
                            + (percent >= 0 && !ended(state) ? " " + Math.round(percent) + "%" : ""));
                }
                percents.put(uuid, percent);
            }
            if (terminal) {
                drawBar(uuids, states, percents);
            }
            if (uuids.stream().allMatch(uuid -> ended(states.get(uuid)))) {
                break;
            }
            if (System.nanoTime() >= deadline) {
                finishBar();
                out.println("dromedary jobs wait: the timeout came before " + uuids.stream().filter(uuid -> !ended(states.get(uuid)))
                        .count() + " of " + uuids.size() + " jobs ended");
                return TIMED_OUT;
            }
            Thread.sleep(Math.min(poll.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            poll = poll.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : poll.multipliedBy(2);
        }
        finishBar();
        if (states.containsValue("failed")) {
            out.println("dromedary jobs wait: " + count(states, "failed") + " of " + uuids.size() + " jobs failed");
            return FAILED;
        }
        if (states.containsValue("cancelled")) {
            out.println("dromedary jobs wait: " + count(states, "cancelled") + " of " + uuids.size() + " jobs were cancelled");
            return CANCELLED;
        }
        if (terminal) {
            out.println("dromedary jobs wait: " + uuids.size() + " of " + uuids.size() + " jobs completed");
        }
        return COMPLETED;
    }

    private JsonNode job(String uuid) throws IOException, InterruptedException {
        HttpResponse<String> answer = api.get("/common/jobs/" + uuid);
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new ApiRefused("the API refused the key (" + answer.statusCode() + ")");
        }
        if (answer.statusCode() == 404) {
            throw new ApiRefused("no job has the uuid " + uuid);
        }
        return api.data(answer);
    }

    /** The job's state as a wait sees it: a failed job with a retry to come is still "failed, retry due". */
    private static String state(JsonNode job) {
        String status = job.path("status").asText();
        if (status.equals("failed") && !job.path("run_after").isNull() && !job.path("run_after").isMissingNode()) {
            return "failed, retry at " + job.path("run_after").asText();
        }
        return status;
    }

    private static boolean ended(String state) {
        return state != null && (state.equals("completed") || state.equals("failed") || state.equals("cancelled"));
    }

    private static long count(Map<String, String> states, String state) {
        return states.values().stream().filter(state::equals).count();
    }

    private void drawBar(List<String> uuids, Map<String, String> states, Map<String, Double> percents) {
        double done = 0;
        for (String uuid : uuids) {
            done += ended(states.get(uuid)) ? 1 : Math.max(0, percents.getOrDefault(uuid, 0.0)) / 100;
        }
        int filled = (int) Math.round(BAR_WIDTH * done / uuids.size());
        long ended = uuids.stream().filter(uuid -> ended(states.get(uuid))).count();
        long running = states.values().stream().filter(state -> state.equals("processing") || state.equals("retrying")).count();
        out.print("\r[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + ended + "/" + uuids.size() + " ended, "
                + running + " running" + (count(states, "failed") > 0 ? ", " + count(states, "failed") + " failed" : "") + "   ");
        out.flush();
    }

    private void finishBar() {
        if (terminal) {
            out.println();
        }
    }

    /** The API answered, and said no: a key it refuses, a job it does not know, a body it does not take. */
    private static final class ApiRefused extends IOException {
        ApiRefused(String message) {
            super(message);
        }
    }
}
