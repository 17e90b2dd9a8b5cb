package io.millrace.server.coordinator;

import io.millrace.coordinator.group.GroupCoordinatorService;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.handlers.StreamsGroupDescribeHandler;
import io.millrace.server.handlers.StreamsGroupHeartbeatHandler;
import java.util.List;
import java.util.Map;

/**
 * The one switch for what clients see of streams groups (KIP-1071): whether the broker registers
 * StreamsGroupHeartbeat and StreamsGroupDescribe and advertises {@code streams.version=1}. The
 * coordinator always replays streams group records, so a broker with the switch off still keeps
 * (and lists) groups written by one with it on. StreamsGroupTopologyDescriptionUpdate is not
 * served: a 4.4 client sends it only when a heartbeat asks for it, and ours never does.
 * Stateless.
 */
public final class StreamsSurfaces {
    private static final boolean SERVED = true;
    private static final short STREAMS_VERSION = 1;

    private StreamsSurfaces() {
    }

    public static boolean served() {
        return SERVED;
    }

    /** {@code streams.version=1} while served; none otherwise. */
    public static Map<String, Short> features() {
        return SERVED ? Map.of("streams.version", STREAMS_VERSION) : Map.of();
    }

    public static List<ApiHandler<?>> handlers(GroupCoordinatorService groups, ControllerChannel controller) {
        if (!SERVED) {
            return List.of();
        }
        return List.of(new StreamsGroupHeartbeatHandler(groups, new StreamsInternalTopics(controller)),
                new StreamsGroupDescribeHandler(groups));
    }
}
