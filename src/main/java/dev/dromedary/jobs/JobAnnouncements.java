package dev.dromedary.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on a connection of its own for the jobs that the database announces (trigger announce_job): a
 * claimable job names its queue on {@code dromedary_jobs}, a failed job its due time on
 * {@code dromedary_retries}. When it (re)connects it announces every queue once, to catch up with what it
 * missed; the runners' ticker stays the fallback. Written on the driver instead of camel-pgevent, which
 * needs the pgjdbc-ng driver (a second driver, unreleased since 2021) and in Camel 4.17 reconnects only
 * once after a lost connection (CAMEL-25545).
 */
public final class JobAnnouncements implements AutoCloseable {

    public interface Connector {
        Connection connect() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(JobAnnouncements.class);
    private static final int WAIT_MILLIS = 500;
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(10);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(15);

    private final Connector connector;
    private final Consumer<String> jobsInQueue;
    private final Consumer<Instant> retryDue;
    private final Runnable caughtUp;
    private final Thread listener;
    private volatile boolean running = true;
    private volatile Connection connection;

    /** {@code caughtUp} runs on every (re)connect: every queue may hold jobs announced while no one listened. */
    public JobAnnouncements(Connector connector, Consumer<String> jobsInQueue, Consumer<Instant> retryDue, Runnable caughtUp) {
        this.connector = connector;
        this.jobsInQueue = jobsInQueue;
        this.retryDue = retryDue;
        this.caughtUp = caughtUp;
        this.listener = new Thread(this::listen, "job-announcements");
        this.listener.setDaemon(true);
    }

    public void start() {
        listener.start();
    }

    private void listen() {
        Duration delay = Duration.ofMillis(100);
        boolean warned = false;
        while (running) {
            try (Connection listening = connector.connect()) {
                connection = listening;
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN dromedary_jobs");
                    statement.execute("LISTEN dromedary_retries");
                }
                if (warned) {
                    LOG.info("Listening for announced jobs again");
                }
                warned = false;
                delay = Duration.ofMillis(100);
                caughtUp.run();
                PGConnection notifications = listening.unwrap(PGConnection.class);
                long checkedAt = System.nanoTime();
                while (running) {
                    if (System.nanoTime() - checkedAt > PROBE_EVERY.toNanos()) {
                        // a connection whose peer vanished without a word would otherwise wait for ever
                        try (Statement probe = listening.createStatement()) {
                            probe.execute("SELECT 1");
                        }
                        checkedAt = System.nanoTime();
                    }
                    PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            dispatch(notification);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    LOG.warn("Not listening for announced jobs ({}); the ticker still claims them; connecting again", e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                delay = delay.multipliedBy(2).compareTo(MAX_RECONNECT_DELAY) > 0 ? MAX_RECONNECT_DELAY : delay.multipliedBy(2);
            } finally {
                connection = null;
            }
        }
    }

    private void dispatch(PGNotification notification) {
        if (notification.getName().equals("dromedary_jobs")) {
            jobsInQueue.accept(notification.getParameter());
        } else if (notification.getName().equals("dromedary_retries")) {
            try {
                retryDue.accept(Instant.ofEpochMilli(Long.parseLong(notification.getParameter())));
            } catch (NumberFormatException e) {
                LOG.debug("A retry announcement without a due time: {}", notification.getParameter());
            }
        }
    }

    /** Stops listening within a wait (half a second) and closes the connection. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        listener.join(Duration.ofSeconds(5).toMillis());
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                LOG.debug("Closing the announcements connection: {}", e.getMessage());
            }
        }
    }
}
