package io.millrace.server.handlers;

import io.millrace.common.config.Endpoint;
import io.millrace.server.BrokerIdentity;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DescribeCluster: the cluster id, the controller and the brokers. */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequestData> {
    private static final byte ENDPOINT_TYPE_BROKER = 1;
    private static final byte ENDPOINT_TYPE_CONTROLLER = 2;

    private final BrokerIdentity identity;

    public DescribeClusterHandler(BrokerIdentity identity) {
        this.identity = identity;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<DescribeClusterResponseData> handle(RequestContext context,
                                                                 DescribeClusterRequestData request) {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(identity.clusterId())
                .setControllerId(identity.nodeId())
                .setEndpointType(request.endpointType())
                .setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations() ? 0 : Integer.MIN_VALUE);
        if (request.endpointType() != ENDPOINT_TYPE_BROKER && request.endpointType() != ENDPOINT_TYPE_CONTROLLER) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("Unknown endpoint type " + request.endpointType()));
        }
        Endpoint self = identity.endpointFor(context.listenerName());
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(identity.nodeId()).setHost(self.host()).setPort(self.port()).setRack(identity.rack()));
        return CompletableFuture.completedFuture(response);
    }
}
