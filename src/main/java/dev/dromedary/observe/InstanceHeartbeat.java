package dev.dromedary.observe;

import dev.dromedary.jobs.SqlFile;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Tells the {@code instances} table that this instance is alive and what it runs; it leaves when it stops cleanly. */
public final class InstanceHeartbeat {

    private static final String HEARTBEAT = SqlFile.load("sql/status/instance-heartbeat.sql");
    private static final String LEAVE = SqlFile.load("sql/status/instance-leaves.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final String instanceId;
    private final String runs;

    /** {@code runs}: what the instance runs, as JSON (its runners and queues). */
    public InstanceHeartbeat(DataSource dataSource, String instanceId, String runs) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.instanceId = instanceId;
        this.runs = runs;
    }

    public void beat() {
        jdbc.update(HEARTBEAT, new MapSqlParameterSource("id", instanceId).addValue("runs", runs));
    }

    public void leave() {
        jdbc.update(LEAVE, new MapSqlParameterSource("id", instanceId));
    }
}
