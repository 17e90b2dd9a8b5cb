package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.config.ConfigDescriber;
import io.millrace.common.config.DescribedConfig;
import io.millrace.server.config.ConfigResources;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DescribeConfigs for topics, this broker, the cluster-wide broker defaults and broker loggers. */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequestData> {
    private final ConfigDescriber describer;
    private final int nodeId;

    public DescribeConfigsHandler(ConfigDescriber describer, int nodeId) {
        this.describer = describer;
        this.nodeId = nodeId;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<DescribeConfigsResponseData> handle(RequestContext context,
                                                                 DescribeConfigsRequestData request) {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult().setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.results().add(result);
            Errors denied = ConfigAuthorization.check(context.authorization(), AclOperation.DESCRIBE_CONFIGS,
                    resource.resourceType(), resource.resourceName());
            if (denied != Errors.NONE) {
                result.setErrorCode(denied.code()).setErrorMessage(denied.message());
                continue;
            }
            ConfigResources.Target target = ConfigResources.resolve(resource.resourceType(), resource.resourceName(),
                    nodeId, describer);
            if (target.error() != Errors.NONE) {
                result.setErrorCode(target.error().code()).setErrorMessage(target.message());
                continue;
            }
            List<DescribedConfig> entries = switch (target.kind()) {
                case TOPIC -> describer.describeTopic(resource.resourceName());
                case BROKER -> describer.describeBroker();
                case BROKER_DEFAULTS -> describer.describeBrokerDefaults();
                case BROKER_LOGGER -> List.of();
                case GROUP -> describer.describeGroup(resource.resourceName());
            };
            for (DescribedConfig e : entries) {
                if (resource.configurationKeys() != null && !resource.configurationKeys().contains(e.name())) {
                    continue;
                }
                result.configs().add(toResult(e, request.includeSynonyms(), request.includeDocumentation()));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private static DescribeConfigsResourceResult toResult(DescribedConfig e, boolean synonyms, boolean documentation) {
        DescribeConfigsResourceResult out = new DescribeConfigsResourceResult().setName(e.name())
                .setValue(e.sensitive() ? null : e.value()).setReadOnly(e.readOnly()).setConfigSource(e.source().wireId)
                .setIsSensitive(e.sensitive()).setConfigType(e.type().wireId)
                .setDocumentation(documentation ? e.documentation() : null);
        List<DescribeConfigsSynonym> list = new ArrayList<>();
        if (synonyms) {
            for (DescribedConfig.Synonym s : e.synonyms()) {
                list.add(new DescribeConfigsSynonym().setName(s.name()).setValue(e.sensitive() ? null : s.value())
                        .setSource(s.source().wireId));
            }
        }
        return out.setSynonyms(list);
    }
}
