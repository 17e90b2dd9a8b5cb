package io.millrace.server.handlers;

import io.millrace.metadata.log.MetadataView;
import io.millrace.metadata.records.ScramCredentialRecord;
import io.millrace.metadata.records.ScramMechanism;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeUserScramCredentials from this node's metadata image, as Kafka's brokers answer it: no
 * users named means every user with a credential; per user its mechanisms and iteration counts
 * (never salts or keys); a user named twice is DUPLICATE_RESOURCE, one without credentials
 * RESOURCE_NOT_FOUND. Stateless.
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler<DescribeUserScramCredentialsRequestData> {
    private final MetadataView metadata;

    public DescribeUserScramCredentialsHandler(MetadataView metadata) {
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<DescribeUserScramCredentialsResponseData> handle(
            RequestContext context, DescribeUserScramCredentialsRequestData request) {
        if (!context.authorization().allowsCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.failedFuture(Errors.CLUSTER_AUTHORIZATION_FAILED.exception());
        }
        Map<String, Map<ScramMechanism, ScramCredentialRecord>> credentials = metadata.image().scramCredentials();
        Map<String, Boolean> duplicated = new LinkedHashMap<>();
        if (request.users() == null || request.users().isEmpty()) {
            new TreeMap<>(credentials).keySet().forEach(user -> duplicated.put(user, false));
        } else {
            request.users().forEach(u -> duplicated.merge(u.name(), false, (a, b) -> true));
        }
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        duplicated.forEach((user, twice) -> {
            DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user);
            Map<ScramMechanism, ScramCredentialRecord> byMechanism = credentials.getOrDefault(user, Map.of());
            if (twice) {
                result.setErrorCode(Errors.DUPLICATE_RESOURCE.code()).setErrorMessage(
                        "Cannot describe SCRAM credentials for the same user twice in a single request: " + user);
            } else if (byMechanism.isEmpty()) {
                result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                        .setErrorMessage("Attempt to describe a user credential that does not exist: " + user);
            } else {
                new TreeMap<>(byMechanism).values().forEach(c -> result.credentialInfos().add(new CredentialInfo()
                        .setMechanism(c.mechanism().type()).setIterations(c.iterations())));
            }
            response.results().add(result);
        });
        return CompletableFuture.completedFuture(response);
    }
}
