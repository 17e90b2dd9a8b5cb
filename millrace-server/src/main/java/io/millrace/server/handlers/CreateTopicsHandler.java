package io.millrace.server.handlers;

import io.millrace.common.config.DescribedConfig;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.ControllerChannel;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.RequestContext;
import io.millrace.server.config.ConfigDescriber;
import io.millrace.server.quota.ClientQuotas;
import io.millrace.server.quota.MutationQuota;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * CreateTopics: partitions, replication factor or explicit assignments, configs, validate_only.
 * The partitions created count against the client's {@code controller_mutation_rate} (KIP-599:
 * from v6 a topic is refused with THROTTLING_QUOTA_EXCEEDED once it is exhausted).
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequestData> {
    private static final short STRICT_QUOTA_VERSION = 6;
    private final ControllerChannel controller;
    private final ConfigDescriber configs;
    private final ClientQuotas quotas;

    public CreateTopicsHandler(ControllerChannel controller, ConfigDescriber configs, ClientQuotas quotas) {
        this.controller = controller;
        this.configs = configs;
        this.quotas = quotas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<CreateTopicsResponseData> handle(RequestContext context, CreateTopicsRequestData request) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        Set<String> names = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic t : request.topics()) {
            if (!names.add(t.name())) {
                duplicated.add(t.name());
            }
        }
        MutationQuota quota = quotas.controllerMutations(context, context.apiVersion() >= STRICT_QUOTA_VERSION);
        List<TopicSpec> specs = new ArrayList<>();
        Authorization authorization = context.authorization();
        boolean clusterCreate = authorization.allowsQuietly(AclOperation.CREATE, ResourceType.CLUSTER, Authorization.CLUSTER);
        for (CreateTopicsRequestData.CreatableTopic t : request.topics()) {
            if (duplicated.contains(t.name())) {
                continue;
            }
            if (!clusterCreate && !authorization.allowsTopic(AclOperation.CREATE, t.name())) {
                response.topics().add(new CreatableTopicResult().setName(t.name())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setNumPartitions(-1).setReplicationFactor((short) -1));
                continue;
            }
            if (quota.exhausted()) {
                response.topics().add(new CreatableTopicResult().setName(t.name())
                        .setErrorCode(Errors.THROTTLING_QUOTA_EXCEEDED.code())
                        .setErrorMessage(Errors.THROTTLING_QUOTA_EXCEEDED.message())
                        .setNumPartitions(-1).setReplicationFactor((short) -1));
                continue;
            }
            Map<Integer, List<Integer>> assignments = new HashMap<>();
            t.assignments().forEach(a -> assignments.put(a.partitionIndex(), List.copyOf(a.brokerIds())));
            Map<String, String> topicConfigs = new HashMap<>();
            t.configs().forEach(c -> topicConfigs.put(c.name(), c.value()));
            specs.add(new TopicSpec(t.name(), t.numPartitions(), t.replicationFactor(), assignments, topicConfigs));
        }
        for (String name : duplicated) {
            response.topics().add(new CreatableTopicResult().setName(name)
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Create topics request from client contains duplicate topic name " + name)
                    .setNumPartitions(-1).setReplicationFactor((short) -1));
        }
        if (specs.isEmpty()) {
            return CompletableFuture.completedFuture(response.setThrottleTimeMs(quota.throttleMs()));
        }
        return controller.createTopics(specs, request.validateOnly()).thenApply(results -> {
            for (int i = 0; i < results.size(); i++) {
                response.topics().add(toResponse(results.get(i), specs.get(i), context));
                if (results.get(i).error().isSuccess() && !request.validateOnly()) {
                    quota.record(results.get(i).numPartitions());
                }
            }
            return response.setThrottleTimeMs(quota.throttleMs());
        });
    }

    private CreatableTopicResult toResponse(CreateTopicResult result, TopicSpec spec, RequestContext context) {
        short version = context.apiVersion();
        CreatableTopicResult out = new CreatableTopicResult().setName(result.name())
                .setErrorCode(result.error().error().code()).setErrorMessage(result.error().message())
                .setTopicId(result.topicId()).setNumPartitions(result.numPartitions())
                .setReplicationFactor(result.replicationFactor());
        if (result.error().isSuccess() && version >= 5
                && !context.authorization().allowsTopic(AclOperation.DESCRIBE_CONFIGS, result.name())) {
            out.setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        } else if (result.error().isSuccess() && version >= 5) {
            for (DescribedConfig e : configs.describeNewTopic(spec.configs())) {
                out.configs().add(new CreateTopicsResponseData.CreatableTopicConfigs().setName(e.name())
                        .setValue(e.sensitive() ? null : e.value()).setReadOnly(e.readOnly()).setConfigSource(e.source().wireId)
                        .setIsSensitive(e.sensitive()));
            }
        } else if (!result.error().isSuccess()) {
            out.setConfigs(new ArrayList<>());
        }
        return out;
    }
}
