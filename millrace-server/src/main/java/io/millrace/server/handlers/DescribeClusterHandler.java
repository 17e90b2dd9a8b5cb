package io.millrace.server.handlers;

import io.millrace.metadata.log.MetadataView;
import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.lifecycle.LiveBrokers;
import io.millrace.server.lifecycle.LiveBrokers.AdvertisedBroker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeCluster: the cluster id, the controller and the brokers, as Metadata tells them
 * ({@link LiveBrokers}).
 *
 * <ul>
 *   <li>v1+ endpoint type (KIP-919): a broker listener serves BROKER only. CONTROLLER answers
 *       MISMATCHED_ENDPOINT_TYPE, any other value UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST at v0),
 *       as Kafka's brokers do.</li>
 *   <li>v2 includeFencedBrokers (KIP-1073): fenced registered brokers are listed too, marked
 *       isFenced.</li>
 *   <li>The cluster's authorized operations, when asked for: those the principal may do, none
 *       unless it may DESCRIBE the cluster (as Kafka).</li>
 * </ul>
 * Thread-safe; holds no mutable state.
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequestData> {
    private static final byte ENDPOINT_TYPE_BROKER = 1;
    private static final byte ENDPOINT_TYPE_CONTROLLER = 2;
    private static final short FIRST_VERSION_WITH_FENCED = 2;

    private final LiveBrokers brokers;
    private final MetadataView metadata;

    public DescribeClusterHandler(LiveBrokers brokers, MetadataView metadata) {
        this.brokers = brokers;
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<DescribeClusterResponseData> handle(RequestContext context,
                                                                 DescribeClusterRequestData request) {
        if (request.endpointType() == ENDPOINT_TYPE_CONTROLLER) {
            return CompletableFuture.completedFuture(new DescribeClusterResponseData()
                    .setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The request was sent to an endpoint of type BROKER, but we wanted an endpoint"
                            + " of type CONTROLLER"));
        }
        if (request.endpointType() != ENDPOINT_TYPE_BROKER) {
            Errors error = context.apiVersion() == 0 ? Errors.INVALID_REQUEST : Errors.UNSUPPORTED_ENDPOINT_TYPE;
            return CompletableFuture.completedFuture(new DescribeClusterResponseData().setErrorCode(error.code())
                    .setErrorMessage("Unsupported endpoint type " + request.endpointType()));
        }
        boolean includeFenced = context.apiVersion() >= FIRST_VERSION_WITH_FENCED && request.includeFencedBrokers();
        List<AdvertisedBroker> listed = brokers.list(metadata.image(), context.listenerName(), includeFenced);
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(brokers.identity().clusterId())
                .setControllerId(brokers.controllerId(listed))
                .setEndpointType(request.endpointType())
                .setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations()
                        ? AuthorizedOperations.cluster(context.authorization()) : AuthorizedOperations.NOT_REQUESTED);
        for (AdvertisedBroker b : listed) {
            DescribeClusterBroker broker = new DescribeClusterBroker().setBrokerId(b.brokerId())
                    .setHost(b.host()).setPort(b.port()).setRack(b.rack());
            if (includeFenced) {
                broker.setIsFenced(b.fenced());
            }
            response.brokers().add(broker);
        }
        return CompletableFuture.completedFuture(response);
    }
}
