package dev.dromedary.schedules;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * A Quartz scheduler on the clustered JDBC job store in Dromedary's own PostgreSQL (migration V6): every
 * instance runs one, they share the triggers, and each fire time is taken by exactly one of them. A fire
 * time missed by up to {@code misfireGraceSeconds} (all instances down) still runs; an older one is skipped
 * (the triggers' misfire instruction: do nothing).
 */
public final class ClusteredScheduler {

    private ClusteredScheduler() {
    }

    public static Scheduler create(DataSource dataSource, String instanceId, int misfireGraceSeconds)
            throws SchedulerException {
        String dataSourceName = "dromedary-" + instanceId;
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the application
            }

            @Override
            public void initialize() {
                // the pool is ready
            }
        });
        Properties quartz = new Properties();
        quartz.setProperty("org.quartz.scheduler.instanceName", "dromedary");
        quartz.setProperty("org.quartz.scheduler.instanceId", instanceId);
        quartz.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        quartz.setProperty("org.quartz.threadPool.threadCount", "2");
        // how long an instance that has no trigger to fire waits before it looks again: how soon it takes over
        // the fire times of an instance that stopped
        quartz.setProperty("org.quartz.scheduler.idleWaitTime", "2000");
        quartz.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        quartz.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        quartz.setProperty("org.quartz.jobStore.isClustered", "true");
        quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        quartz.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(misfireGraceSeconds * 1000L));
        StdSchedulerFactory factory = new StdSchedulerFactory();
        factory.initialize(quartz);
        return factory.getScheduler();
    }
}
