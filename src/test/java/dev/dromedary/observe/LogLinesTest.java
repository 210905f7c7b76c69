package dev.dromedary.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogLinesTest {

    @Test
    void aLineBreakInAMessageIsWrittenEscapedSoThatNoLineCanBeForged() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("console");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("dev.dromedary.Test"), Level.INFO,
                "filename {}", null, new Object[] {"a.csv\r\n12:00:00.000 INFO  [main] forged - admin logged in"});

        String written = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);

        assertThat(written).endsWith("filename a.csv\\r\\n12:00:00.000 INFO  [main] forged - admin logged in\n");
        assertThat(written.lines()).hasSize(1);
    }
}
