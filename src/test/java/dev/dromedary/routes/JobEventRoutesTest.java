package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dromedary.testing.RouteFiles;
import dev.dromedary.testing.RouteTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * routes/job-events.camel.yaml with the HTTP endpoints woven to mocks: an event is posted to the webhook with
 * only the receiver's headers, signed; a failing webhook is redelivered and then fails the event (so the feed
 * sends it again), while a failing notify_url is given up and the event counts as delivered.
 */
class JobEventRoutesTest extends RouteTest {

    @Test
    void anEventIsPostedSignedWithOnlyTheHeadersAReceiverNeedsAndToTheJobsNotifyUrl() throws Exception {
        MockEndpoint webhook = getMockEndpoint("mock:webhook");
        MockEndpoint notify = getMockEndpoint("mock:notify");
        webhook.expectedMessageCount(1);
        notify.expectedMessageCount(1);

        template.sendBodyAndHeaders("direct:job-event", event(41), Map.of("NotifyUrl", "https://hooks.example.com/jobs/1",
                "JobUuid", "not for the receiver"));

        MockEndpoint.assertIsSatisfied(context);
        Exchange posted = webhook.getExchanges().get(0);
        String body = posted.getMessage().getBody(String.class);
        assertThat(body).contains("\"event_id\":41").contains("\"to_status\":\"completed\"");
        assertThat(posted.getMessage().getHeader("X-Dromedary-Event-Id", String.class)).isEqualTo("41");
        assertThat(posted.getMessage().getHeader("X-Dromedary-Signature", String.class))
                .isEqualTo(StubJobEvents.signature(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(posted.getMessage().getHeader(Exchange.HTTP_URI, String.class)).isEqualTo("http://receiver.test/hooks");
        assertThat(posted.getMessage().getHeaders().keySet()).isSubsetOf(Set.of("X-Dromedary-Event-Id", "X-Dromedary-Signature",
                Exchange.HTTP_URI, Exchange.HTTP_METHOD, Exchange.CONTENT_TYPE));
        assertThat(notify.getExchanges().get(0).getMessage().getHeader(Exchange.HTTP_URI, String.class))
                .isEqualTo("https://hooks.example.com/jobs/1");
        assertThat(notify.getExchanges().get(0).getMessage().getBody(String.class)).isEqualTo(body);
    }

    @Test
    void aFailingWebhookIsRedeliveredThenFailsTheEventWhileAFailingNotifyUrlIsGivenUp() throws Exception {
        MockEndpoint webhook = getMockEndpoint("mock:webhook");
        MockEndpoint notify = getMockEndpoint("mock:notify");
        notify.whenAnyExchangeReceived(exchange -> {
            throw new IOException("the job's receiver is down");
        });
        template.sendBodyAndHeader("direct:job-event", event(42), "NotifyUrl", "https://hooks.example.com/jobs/2");
        assertThat(notify.getReceivedCounter()).as("1 + JOB_WEBHOOK_MAX_REDELIVERIES").isEqualTo(3);
        assertThat(webhook.getReceivedCounter()).isEqualTo(1);

        webhook.reset();
        webhook.whenAnyExchangeReceived(exchange -> {
            throw new IOException("the webhook is down");
        });
        assertThatThrownBy(() -> template.sendBody("direct:job-event", event(43)))
                .isInstanceOf(CamelExecutionException.class).hasRootCauseMessage("the webhook is down");
        assertThat(webhook.getReceivedCounter()).as("1 + JOB_WEBHOOK_MAX_REDELIVERIES").isEqualTo(3);
    }

    private static Map<String, Object> event(long id) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_id", id);
        event.put("type", "job.completed");
        event.put("job_uuid", "00000000-0000-4000-8000-000000000001");
        event.put("job_type", "noop");
        event.put("from_status", "processing");
        event.put("to_status", "completed");
        event.put("reason", "Job completed successfully");
        return event;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("JOB_WEBHOOK_URL", "http://receiver.test/hooks", "JOB_WEBHOOK_MAX_REDELIVERIES", "2",
                "JOB_WEBHOOK_REDELIVERY_DELAY_MS", "10", "JOB_WEBHOOK_TIMEOUT_MS", "1000", "JOB_EVENTS_POLL_MILLIS", "3600000");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("jobEvents", new StubJobEvents());
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return RouteFiles.load(context, "job-events.camel.yaml").toArray(RoutesBuilder[]::new);
    }

    @Override
    protected void doPostSetup() throws Exception {
        AdviceWith.adviceWith(context, "post-job-webhook", route ->
                route.weaveByToString("to\\[http://job-webhook.*").replace().to("mock:webhook"));
        AdviceWith.adviceWith(context, "notify-job-url", route ->
                route.weaveByToString("to\\[http://job-notify.*").replace().to("mock:notify"));
        context.start();
    }

    /** The methods of JobEventFeed the routes call; signs as the feed does. */
    public static final class StubJobEvents {

        public int deliver(Exchange trigger) {
            return 0;
        }

        public String sign(byte[] body) {
            return signature(body);
        }

        static String signature(byte[] body) {
            return "sha256:" + body.length;
        }
    }
}
