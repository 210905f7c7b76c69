package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.testing.RouteFiles;
import dev.dromedary.testing.RouteTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Header;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * routes/s3-inbox.camel.yaml's filing with the inbox bean stubbed and S3 replaced by mock endpoints: a settled
 * import's object is copied to its destination and then deleted; one gone already is left alone; one whose copy
 * fails is handed back to be filed at the next poll, and is not deleted.
 */
class InboxFilingRouteTest extends RouteTest {

    private final StubInbox inbox = new StubInbox();

    @Test
    void eachSettledObjectIsCopiedThenDeletedAndOneThatCannotBeCopiedIsKeptForTheNextPoll() throws Exception {
        AdviceWith.adviceWith(context, "inbox-filing", route -> {
            route.weaveByToString("to\\[aws2-s3:.*operation=copyObject\\]").replace().to("mock:copy");
            route.weaveByToString("to\\[aws2-s3:.*operation=deleteObject\\]").replace().to("mock:delete");
        });
        MockEndpoint copy = getMockEndpoint("mock:copy");
        copy.whenAnyExchangeReceived(exchange -> {
            String key = exchange.getMessage().getHeader("CamelAwsS3Key", String.class);
            if (key.endsWith("gone.csv")) {
                throw NoSuchKeyException.builder().message("The specified key does not exist.").build();
            }
            if (key.endsWith("unreachable.csv")) {
                throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
            }
        });
        MockEndpoint delete = getMockEndpoint("mock:delete");
        delete.expectedHeaderReceived("CamelAwsS3Key", "incoming/fine.csv");
        copy.expectedMessageCount(3);

        context.start();

        copy.assertIsSatisfied(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> !inbox.unfiled.isEmpty());
        assertThat(copy.getReceivedExchanges()).extracting(exchange -> exchange.getMessage().getHeader("CamelAwsS3DestinationKey"))
                .containsExactly("processed/fine.csv", "failed/gone.csv", "processed/unreachable.csv");
        assertThat(copy.getReceivedExchanges().get(0).getMessage().getHeader("CamelAwsS3BucketDestinationName"))
                .isEqualTo("inbox-bucket");
        delete.assertIsSatisfied();
        assertThat(inbox.unfiled).as("handed back to be filed at the next poll").containsExactly("job-unreachable");
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("INBOX_ENABLED", "true", "INBOX_POLL_SECONDS", "3600", "S3_BUCKET", "dromedary");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("s3Inbox", inbox);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return RouteFiles.load(context, "s3-inbox.camel.yaml").toArray(RoutesBuilder[]::new);
    }

    /** The methods of S3Inbox that the inbox's routes call. */
    public static final class StubInbox {
        final List<String> unfiled = new CopyOnWriteArrayList<>();

        public List<Object> inboxObjects() {
            return List.of();
        }

        public void importObject() {
        }

        public List<Map<String, String>> settledImports() {
            return List.of(
                    Map.of("job_uuid", "job-fine", "bucket", "inbox-bucket", "key", "incoming/fine.csv",
                            "destination", "processed/fine.csv"),
                    Map.of("job_uuid", "job-gone", "bucket", "inbox-bucket", "key", "incoming/gone.csv",
                            "destination", "failed/gone.csv"),
                    Map.of("job_uuid", "job-unreachable", "bucket", "inbox-bucket", "key", "incoming/unreachable.csv",
                            "destination", "processed/unreachable.csv"));
        }

        public void unfile(@Header("InboxJob") String job) {
            unfiled.add(job);
        }
    }
}
