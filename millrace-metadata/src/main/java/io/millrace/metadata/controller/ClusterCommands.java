package io.millrace.metadata.controller;

import io.millrace.metadata.controller.command.AllocateProducerIds;
import io.millrace.metadata.controller.command.AlterConfigs;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.ConfigRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.ProducerIdsRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/** Dynamic configs and producer-id blocks, as pure functions of the image. Stateless. */
final class ClusterCommands {
    private ClusterCommands() {
    }

    /** Sets or removes configs; validated already by the caller except topic existence. */
    static CommandResult<ApiError> alterConfigs(MetadataImage image, AlterConfigs command) {
        List<MetadataRecord> records = new ArrayList<>();
        for (ConfigChange c : command.changes()) {
            if (c.resourceType() == ConfigRecord.TOPIC && image.topic(c.resourceName()).isEmpty()) {
                return CommandResult.reply(ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                        "Topic " + c.resourceName() + " does not exist"));
            }
            records.add(new ConfigRecord(c.resourceType(), c.resourceName(), c.name(), c.value()));
        }
        return new CommandResult<>(command.validateOnly() ? List.of() : records, ApiError.NONE);
    }

    /** Hands the broker the next block of producer ids. */
    static CommandResult<AllocateProducerIds.Reply> allocateProducerIds(MetadataImage image,
                                                                       AllocateProducerIds command) {
        long first = image.nextProducerId();
        return new CommandResult<>(List.of(new ProducerIdsRecord(command.brokerId(), first + command.size())),
                new AllocateProducerIds.Reply(first, command.size()));
    }
}
