package io.millrace.server.handlers;

import io.millrace.metadata.image.ClientQuotasImage;
import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.QuotaEntity;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.quota.QuotaFilter;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntityData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntryData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.ValueData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeClientQuotas: the client quotas of this node's metadata image that the filter selects
 * ({@link QuotaFilter}: EXACT, DEFAULT, SPECIFIED, strict). A malformed filter fails the whole
 * request (INVALID_REQUEST, or UNSUPPORTED_VERSION for an unknown entity type), as in Kafka. Stateless.
 */
public final class DescribeClientQuotasHandler implements ApiHandler<DescribeClientQuotasRequestData> {
    private final MetadataView metadata;

    public DescribeClientQuotasHandler(MetadataView metadata) {
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<DescribeClientQuotasResponseData> handle(RequestContext context,
                                                                    DescribeClientQuotasRequestData request) {
        if (!context.authorization().allowsCluster(AclOperation.DESCRIBE_CONFIGS)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        ClientQuotasImage quotas = metadata.image().clientQuotas();
        List<QuotaFilter.Component> filter = request.components().stream()
                .map(c -> new QuotaFilter.Component(c.entityType(), c.matchType(), c.match())).toList();
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData();
        for (QuotaEntity entity : QuotaFilter.select(quotas, filter, request.strict())) {
            EntryData entry = new EntryData();
            if (entity.hasUser()) {
                entry.entity().add(new EntityData().setEntityType(QuotaEntity.USER).setEntityName(entity.user()));
            }
            if (entity.hasClientId()) {
                entry.entity().add(new EntityData().setEntityType(QuotaEntity.CLIENT_ID).setEntityName(entity.clientId()));
            }
            new TreeMap<>(quotas.quotas(entity)).forEach((key, value) ->
                    entry.values().add(new ValueData().setKey(key).setValue(value)));
            response.entries().add(entry);
        }
        return CompletableFuture.completedFuture(response);
    }
}
