package dev.dromedary.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class JobTypesTest {

    @Test
    void aJobTypeIsARouteFromDirectJobAndNothingElse() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:job-noop").log("noop");
                    from("direct:job-insert_csv_file").log("import");
                    from("direct:job-event").log("an event, not a job type");
                    from("direct:jobs-announced").log("not a job route");
                    from("direct:job-Upper").log("not a job type's name");
                }
            });
            context.start();
            JobTypes types = new JobTypes(context);

            assertThat(types.names()).containsExactly("insert_csv_file", "noop");
            assertThat(types.exists("noop")).isTrue();
            assertThat(types.exists("insert_csv_file")).isTrue();
            assertThat(types.exists("event")).isFalse();
            assertThat(types.exists("Upper")).isFalse();
            assertThat(types.exists("s-announced")).isFalse();
            assertThat(types.exists("nope")).isFalse();
            assertThat(types.exists("noop?timeout=1")).isFalse();
        }
    }
}
