package dev.dromedary.app.wiring;

import dev.dromedary.alerts.AlertEvaluator;
import dev.dromedary.alerts.AlertMail;
import dev.dromedary.alerts.AlertOutbox;
import dev.dromedary.alerts.AlertRules;
import dev.dromedary.app.Settings;
import dev.dromedary.schedules.Schedules;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.health.HealthCheck;

/** The alert rules of ALERTS_FILE, their evaluation and the outbox their notices leave by (routes/alerts.camel.yaml). */
public record AlertBeans(AlertEvaluator evaluator) {

    public static AlertBeans bind(Wiring wiring, ServiceBeans services, JobBeans jobs) throws Exception {
        Settings settings = wiring.settings();
        // the schedules as the file has them, whether or not this instance fires them, for schedule_missed to expect
        Schedules schedules = Schedules.load(Path.of(settings.text("SCHEDULES_FILE")), jobs.jobStore(),
                settings.integer("DEFAULT_RETRY_INTERVAL_SECONDS"));
        AlertRules rules = AlertRules.load(Path.of(settings.text("ALERTS_FILE")), settings, schedules::isRecurring);
        Map<String, HealthCheck> health = Map.of(
                "s3", wiring.registry().lookupByNameAndType("s3Health", HealthCheck.class),
                "elasticsearch", wiring.registry().lookupByNameAndType("elasticsearchHealth", HealthCheck.class));
        AlertEvaluator evaluator = wiring.bind("alertEvaluator", new AlertEvaluator(rules, services.dataSource(), schedules,
                health, jobs.metrics()));
        evaluator.rememberRules();
        wiring.bind("alertOutbox", new AlertOutbox(services.dataSource(), rules, new AlertMail(settings), jobs.metrics(),
                settings.integer("ALERT_MAX_ATTEMPTS"), settings.integer("ALERT_RETRY_DELAY_SECONDS"),
                settings.integer("ALERT_TIMEOUT_MS")));
        return new AlertBeans(evaluator);
    }
}
