package dev.dromedary.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code GET /common/instance} says of the instance that answers: its id (the claim owner) and what it runs. */
public final class InstanceView {

    private final Map<String, Object> view = new LinkedHashMap<>();

    public InstanceView(String instanceId, boolean firstTimeRunner, boolean retryRunner, String inboxPrefix,
                        List<String> schedules) {
        view.put("instance_id", instanceId);
        view.put("first_time_runner", firstTimeRunner);
        view.put("retry_runner", retryRunner);
        view.put("inbox_prefix", inboxPrefix);
        view.put("schedules", schedules);
    }

    public Map<String, Object> view() {
        return view;
    }
}
