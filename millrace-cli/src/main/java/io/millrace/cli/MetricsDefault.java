package io.millrace.cli;

import io.millrace.common.config.BrokerConfigs;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./millrace server}'s default for {@code millrace.metrics.listener}: a single node (no
 * {@code controller.quorum.voters}) serves {@code /metrics} on {@value #SINGLE_NODE} unless the
 * configuration sets the key (empty turns it off). A node of a cluster serves none unless its own
 * configuration names an address, so the nodes of one machine do not fight over a port. The broker
 * itself (and an embedded one) defaults to none.
 */
final class MetricsDefault {
    static final String SINGLE_NODE = "127.0.0.1:9404";

    private MetricsDefault() {
    }

    static Map<String, String> apply(Map<String, String> props) {
        if (props.containsKey(BrokerConfigs.METRICS_LISTENER)) {
            return props;
        }
        String voters = props.get(BrokerConfigs.CONTROLLER_QUORUM_VOTERS);
        if (voters != null && !voters.isBlank()) {
            return props;
        }
        Map<String, String> withDefault = new HashMap<>(props);
        withDefault.put(BrokerConfigs.METRICS_LISTENER, SINGLE_NODE);
        return withDefault;
    }
}
