package dev.dromedary.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given a webhook receiver (a real HTTP server) that is down for a while, when jobs run, then it receives
 * every transition of every job at least once, each with its event id and a valid signature; the jobs' outcomes
 * do not wait for it, a job's own notify_url gets its events, and the events API answers what it missed.
 */
@ExtendWith(RealServices.class)
class JobEventsIT {

    private static final String SECRET = "webhook-test-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aReceiverGetsEveryTransitionOncePerEventIdSignedIncludingWhileItWasDown() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (Receiver receiver = new Receiver();
             RunningDromedary dromedary = RunningDromedary.named("events", database)
                     .with("INBOX_ENABLED", false)
                     .with("JOB_WEBHOOK_URL", receiver.url("/hooks"))
                     .with("JOB_WEBHOOK_SECRET", SECRET)
                     .with("JOB_WEBHOOK_ALLOWED", receiver.url("/jobs/"))
                     .with("JOB_WEBHOOK_MAX_REDELIVERIES", 2)
                     .with("JOB_WEBHOOK_REDELIVERY_DELAY_MS", 50)
                     .with("JOB_EVENTS_POLL_MILLIS", 100)
                     .start()) {
            JobsApi api = dromedary.api();
            for (int i = 0; i < 5; i++) {
                api.createJob("test_succeed", "{\"name\": \"job " + i + "\"}");
            }
            String retried = created(api.create("{\"job_type\":\"test_fail_first_attempt\",\"job_data\":{},"
                    + "\"retry_count\":1,\"retry_interval\":0}"));
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.eventIds("/hooks").containsAll(transitionIds(database)));

            receiver.down.set(true);
            int refusedBefore = receiver.refused.get();
            for (int i = 0; i < 5; i++) {
                api.createJob("test_succeed", "{\"name\": \"while down " + i + "\"}");
            }
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'") == 11);
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.refused.get() >= refusedBefore + 6);
            receiver.down.set(false);
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.eventIds("/hooks").containsAll(transitionIds(database)));

            Set<Long> expected = transitionIds(database);
            assertThat(receiver.eventIds("/hooks")).isEqualTo(expected);
            assertThat(receiver.badSignatures.get()).isZero();
            for (JsonNode event : receiver.events("/hooks")) {
                assertThat(event.get("event_id").asLong()).isEqualTo(receiver.headerIds.get(event));
            }
            List<JsonNode> ofRetried = receiver.events("/hooks").stream()
                    .filter(event -> event.get("job_uuid").asText().equals(retried)).distinct().toList();
            assertThat(ofRetried.stream().map(event -> event.get("to_status").asText()).distinct())
                    .containsExactly("open", "in_queue", "processing", "failed", "retry_in_queued", "retrying", "completed");
            assertThat(ofRetried.stream().filter(event -> event.get("to_status").asText().equals("failed")).findFirst()
                    .orElseThrow().get("reason").asText()).isEqualTo("the first attempt fails on purpose");

            JobsApi.Response all = api.send(api.request("/common/jobs/events?after=0&limit=1000").GET());
            assertThat(all.status()).isEqualTo(200);
            Set<Long> listed = new HashSet<>();
            all.body().get("data").forEach(event -> listed.add(event.get("event_id").asLong()));
            assertThat(listed).isEqualTo(expected);
            long middle = all.body().get("data").get(10).get("event_id").asLong();
            JobsApi.Response rest = api.send(api.request("/common/jobs/events?after=" + middle).GET());
            assertThat(rest.body().get("data")).hasSize(expected.size() - 11);
            assertThat(api.send(api.request("/common/jobs/events?after=987654321").GET()).error())
                    .isEqualTo("ERR_EVENT_NOT_FOUND: no event has the id 987654321");
        }
    }

    @Test
    void aJobsOwnNotifyUrlGetsItsEventsOnlyUnderAnAllowedPrefix() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (Receiver receiver = new Receiver();
             RunningDromedary dromedary = RunningDromedary.named("notify", database)
                     .with("INBOX_ENABLED", false)
                     .with("JOB_WEBHOOK_SECRET", SECRET)
                     .with("JOB_WEBHOOK_ALLOWED", receiver.url("/jobs/"))
                     .with("JOB_EVENTS_POLL_MILLIS", 100)
                     .start()) {
            JobsApi api = dromedary.api();
            String uuid = api.createJob("test_succeed", "{\"notify_url\": \"" + receiver.url("/jobs/mine") + "\"}");
            api.createJob("test_succeed", "{}");
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.events("/jobs/mine").stream()
                    .anyMatch(event -> event.get("to_status").asText().equals("completed")));
            assertThat(receiver.events("/jobs/mine")).allSatisfy(event -> assertThat(event.get("job_uuid").asText()).isEqualTo(uuid));
            assertThat(receiver.badSignatures.get()).isZero();
            // the other job's events had nowhere to go (no JOB_WEBHOOK_URL, no hook): passed by, and still in the feed
            await().atMost(Duration.ofSeconds(60)).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'") == 2
                    && database.queryLong("SELECT last_id FROM job_event_cursor") == database.queryLong("SELECT max(id) FROM job_transitions"));
            assertThat(api.send(api.request("/common/jobs/events?after=0&limit=1000").GET()).body().get("data"))
                    .hasSize((int) database.queryLong("SELECT count(*) FROM job_transitions"));

            for (String refused : List.of("http://169.254.169.254/latest/meta-data/", receiver.url("/hooks"),
                    receiver.url("/jobs/").replace("127.0.0.1", "127.0.0.1.nip.io"), receiver.url("/jobs/").replace("http://", "http://user@"))) {
                JobsApi.Response response = api.create("{\"job_type\":\"test_succeed\",\"job_data\":{\"notify_url\":\"" + refused + "\"}}");
                assertThat(response.status()).as(refused).isEqualTo(400);
                assertThat(response.error()).startsWith("ERR_NOTIFY_URL_NOT_ALLOWED: job_data.notify_url '");
            }
        }
    }

    private static Set<Long> transitionIds(RealServices.TestDatabase database) throws Exception {
        Set<Long> ids = new HashSet<>();
        for (String id : database.queryStrings("SELECT id::text FROM job_transitions")) {
            ids.add(Long.parseLong(id));
        }
        return ids;
    }

    private static String created(JobsApi.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(201);
        return response.body().get("uuid").asText();
    }

    /** A webhook receiver: checks each POST's signature, keeps its events by path, answers 503 while down. */
    private static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final Map<String, List<JsonNode>> byPath = new ConcurrentHashMap<>();
        private final Map<JsonNode, Long> headerIds = new ConcurrentHashMap<>();
        private final AtomicBoolean down = new AtomicBoolean();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicInteger badSignatures = new AtomicInteger();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        private void handle(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (down.get()) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            if (!("sha256=" + hmac(body)).equals(exchange.getRequestHeaders().getFirst("X-Dromedary-Signature"))) {
                badSignatures.incrementAndGet();
            }
            JsonNode event = JSON.readTree(body);
            headerIds.put(event, Long.parseLong(exchange.getRequestHeaders().getFirst("X-Dromedary-Event-Id")));
            byPath.computeIfAbsent(exchange.getRequestURI().getPath(), path -> new CopyOnWriteArrayList<>()).add(event);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }

        List<JsonNode> events(String path) {
            return byPath.getOrDefault(path, List.of());
        }

        Set<Long> eventIds(String path) {
            Set<Long> ids = new HashSet<>();
            events(path).forEach(event -> ids.add(event.get("event_id").asLong()));
            return ids;
        }

        private static String hmac(byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return HexFormat.of().formatHex(mac.doFinal(body));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
