package dev.dromedary.jobs;

import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.QueueReference;
import org.apache.camel.component.seda.SedaComponent;

/** The runners' bounded in-memory queues (SEDA queues): how much room each has for newly claimed jobs. */
public final class JobQueues {

    private final CamelContext context;

    public JobQueues(CamelContext context) {
        this.context = context;
    }

    /** Free places in the SEDA queue {@code name}; 0 before its worker route has created it. */
    public int room(String name) {
        QueueReference queue = queue(name);
        return queue == null ? 0 : queue.getQueue().remainingCapacity();
    }

    /** Jobs waiting in the SEDA queue {@code name} for a worker. */
    public int depth(String name) {
        QueueReference queue = queue(name);
        return queue == null ? 0 : queue.getQueue().size();
    }

    private QueueReference queue(String name) {
        SedaComponent seda = context.getComponent("seda", SedaComponent.class);
        return seda.getQueueReference(seda.getQueueKey("seda://" + name));
    }
}
