package io.millrace.metadata.controller.command;

/**
 * A request to the active controller. Commands and their replies are plain records of
 * primitives, strings, UUIDs, enums, lists, maps and other such records, so any node can send
 * them to the active controller over the quorum's transport.
 *
 * @param <R> the reply type
 */
public sealed interface ControllerCommand<R extends Record>
        permits CreateTopics, DeleteTopics, CreatePartitions, AlterConfigs, AllocateProducerIds, RegisterBroker,
        BrokerHeartbeat, AlterPartition, ElectLeaders, AlterReassignments,
        AlterScramCredentials,
        CreateAcls, DeleteAcls, AlterClientQuotas {

    Class<R> replyType();
}
