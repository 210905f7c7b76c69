package dev.dromedary.observe;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Counts a route's time to an import stage: the route policy of a sink's route (routes/sinks.camel.yaml), called as
 * the route begins and ends each batch, so that the stage's time is the route's, redeliveries included.
 */
public final class ImportStageTiming extends RoutePolicySupport {

    private ImportStage stage;

    public void setStage(ImportStage stage) {
        this.stage = stage;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        exchange.setProperty(key(route), System.nanoTime());
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        Long started = exchange.getProperty(key(route), Long.class);
        if (started != null) {
            stage.since(started);
            exchange.removeProperty(key(route));
        }
    }

    private static String key(Route route) {
        return "importStageStarted." + route.getRouteId();
    }
}
