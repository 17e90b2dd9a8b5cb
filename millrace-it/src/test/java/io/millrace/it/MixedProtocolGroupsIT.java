package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classic group and a consumer-protocol (KIP-848) group read the same topic at the same time on
 * one broker: each gets every record once, and the admin client tells them apart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MixedProtocolGroupsIT {
    private static final Duration REBALANCE = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void aClassicGroupAndAConsumerGroupShareATopic() {
        String topic = "shared";
        try (InProcessBroker broker = InProcessBroker.start(dataDir, ConsumerProtocolGroupIT.GROUP_TIMING);
             Admin admin = Clients.admin(broker.bootstrap())) {
            Clients.createTopic(admin, topic, 6, Map.of());
            TallyingConsumer.Tally classic = new TallyingConsumer.Tally();
            TallyingConsumer.Tally modern = new TallyingConsumer.Tally();
            List<TallyingConsumer> classicMembers = new ArrayList<>();
            List<TallyingConsumer> modernMembers = new ArrayList<>();
            try {
                for (int i = 1; i <= 2; i++) {
                    classicMembers.add(TallyingConsumer.start("classic-" + i, broker.bootstrap(), "classic-group", "classic",
                            List.of(topic), classic));
                    modernMembers.add(TallyingConsumer.start("modern-" + i, broker.bootstrap(), "modern-group", "consumer",
                            List.of(topic), modern));
                }
                TallyingConsumer.awaitEachPartitionOwnedOnce(topic, 6, classicMembers, REBALANCE);
                TallyingConsumer.awaitEachPartitionOwnedOnce(topic, 6, modernMembers, REBALANCE);
                ConsumerProtocolGroupIT.produceTo(broker.bootstrap(), topic, 6, 600);

                Await.until("the classic group has every record", REBALANCE, () -> classic.distinct() == 600);
                Await.until("the consumer group has every record", REBALANCE, () -> modern.distinct() == 600);
                assertEquals(List.of(), classic.duplicates());
                assertEquals(List.of(), modern.duplicates());

                Map<String, ConsumerGroupDescription> described = Clients.get(
                        admin.describeConsumerGroups(List.of("classic-group", "modern-group")).all());
                assertEquals(GroupType.CLASSIC, described.get("classic-group").type());
                assertEquals(GroupType.CONSUMER, described.get("modern-group").type());
                assertEquals(2, described.get("classic-group").members().size());
                assertEquals(2, described.get("modern-group").members().size());
            } finally {
                classicMembers.forEach(TallyingConsumer::close);
                modernMembers.forEach(TallyingConsumer::close);
            }
        }
    }
}
