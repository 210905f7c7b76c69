package dev.dromedary.alerts;

import java.time.Duration;
import java.util.List;

/** A rule of ALERTS_FILE: its condition, the channels it notifies, and how often a firing alert is notified again (null: never). */
public record AlertRule(String name, AlertCondition condition, List<AlertChannel> channels, Duration repeatAfter) {
}
