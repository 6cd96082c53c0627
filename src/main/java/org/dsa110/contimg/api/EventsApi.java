package org.dsa110.contimg.api;

import java.util.List;
import java.util.Map;
import org.dsa110.contimg.monitoring.EventLog;
import org.dsa110.contimg.monitoring.LegacyEvents;
import org.dsa110.contimg.ops.LiveClients;
import org.dsa110.contimg.ops.SseChannel;

/**
 * /api/stream (recent stored events) and /api/types (event types with counts); the dashboard's Events page reads
 * /api/events/stream|types|stats, the same events in the earlier event bus's terms ({@link LegacyEvents}).
 */
public class EventsApi extends ApiRoutes {

    /** GET /api/stream: the events and the filters applied. */
    public record EventPage(List<EventLog.StoredEvent> events, int count, String eventType, Integer sinceMinutes,
            int limit) {
    }

    /** GET /api/types. */
    public record EventTypeCounts(List<EventLog.TypeCount> types, long totalEvents) {
    }

    @Override
    public void configure() {
        EventLog events = lookup("eventLog", EventLog.class);
        LegacyEvents legacy = new LegacyEvents(lookup("db", org.dsa110.contimg.store.Db.class));
        SseChannel sse = lookup("sseChannel", SseChannel.class);
        LiveClients websocket = lookup("liveClients", LiveClients.class);

        get("/stream", "events.stream", "Recent stored events, newest first (event_type, since_minutes, limit)",
                req -> {
                    String type = req.query("event_type", req.query("type"));
                    String since = req.query("since_minutes");
                    Integer sinceMinutes = since == null ? null : req.intQuery("since_minutes", 0, 1, 525_600);
                    int limit = req.intQuery("limit", 100, 1, 1000);
                    List<EventLog.StoredEvent> list = events.recent(type, sinceMinutes, limit);
                    return new EventPage(list, list.size(), type, sinceMinutes, limit);
                })
                .queryString("event_type", null)
                .queryString("type", "The same as event_type (used when event_type is absent)")
                .queryInt("since_minutes", 1, 525_600, "Only events of the last this many minutes")
                .queryInt("limit", 100, 1, 1000)
                .returns(EventPage.class);
        get("/types", "events.types", "Stored event types with their counts and newest time", req -> {
            List<EventLog.TypeCount> types = events.types();
            return new EventTypeCounts(types, types.stream().mapToLong(EventLog.TypeCount::count).sum());
        }).returns(EventTypeCounts.class);
        get("/events/stream", "events.legacy.stream",
                "Recent events as a bare array, newest first, in the earlier event bus's types (event_type, "
                        + "since_minutes, limit)", req -> {
                    String since = req.query("since_minutes");
                    return legacy.recent(req.query("event_type"),
                            since == null ? null : req.intQuery("since_minutes", 0, 1, 525_600),
                            req.intQuery("limit", 100, 1, 1000));
                })
                .queryInt("since_minutes", 1, 525_600, "Only events of the last this many minutes")
                .queryString("event_type", null)
                .queryInt("limit", 100, 1, 1000)
                .returnsList(LegacyEvents.Event.class);
        get("/events/types", "events.legacy.types", "Event types: the earlier event bus's and the hub's own",
                req -> legacy.types())
                .returns(LegacyEvents.EventTypes.class);
        get("/events/stats", "events.legacy.stats", "Event counts: total, kept, per type, last minute and hour",
                req -> legacy.stats(Map.of("websocket", (long) websocket.count(), "sse", (long) sse.clientCount())))
                .returns(LegacyEvents.Stats.class);
    }
}
