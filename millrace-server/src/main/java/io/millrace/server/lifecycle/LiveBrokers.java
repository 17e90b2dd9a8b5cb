package io.millrace.server.lifecycle;

import io.millrace.common.config.Endpoint;
import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.server.BrokerIdentity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The brokers as clients see them: the registered brokers of a metadata image, each at its
 * endpoint for the listener a request came in on (or its first endpoint). This node is always
 * listed, from its {@link BrokerIdentity}, even before its registration reaches the image, so a
 * client can always bootstrap. Stateless and thread-safe.
 */
public final class LiveBrokers {

    /** One broker as a client reaches it. */
    public record AdvertisedBroker(int brokerId, String host, int port, String rack, boolean fenced) {
    }

    private final BrokerIdentity identity;
    private final IntSupplier activeControllerId;

    /**
     * @param activeControllerId the metadata quorum leader's node id, or -1 when unknown
     */
    public LiveBrokers(BrokerIdentity identity, IntSupplier activeControllerId) {
        this.identity = identity;
        this.activeControllerId = activeControllerId;
    }

    public BrokerIdentity identity() {
        return identity;
    }

    /**
     * The brokers to tell a client about, ascending by id: unfenced registered brokers (and fenced
     * ones when {@code includeFenced}), plus this node.
     */
    public List<AdvertisedBroker> list(MetadataImage image, String listenerName, boolean includeFenced) {
        List<AdvertisedBroker> out = new ArrayList<>();
        boolean selfListed = false;
        for (BrokerImage broker : image.brokers().values()) {
            if (broker.fenced() && !includeFenced && broker.brokerId() != identity.nodeId()) {
                continue;
            }
            if (broker.brokerId() == identity.nodeId()) {
                selfListed = true;
                out.add(self(listenerName, broker.fenced() && includeFenced));
                continue;
            }
            advertised(broker, listenerName).ifPresent(out::add);
        }
        if (!selfListed) {
            out.add(self(listenerName, false));
        }
        out.sort(Comparator.comparingInt(AdvertisedBroker::brokerId));
        return out;
    }

    /**
     * Broker {@code brokerId} as a client on {@code listenerName} reaches it, fenced or not; this
     * node from its identity; empty for a broker the image does not know or that has no endpoint.
     */
    public Optional<AdvertisedBroker> find(MetadataImage image, int brokerId, String listenerName) {
        if (brokerId == identity.nodeId()) {
            return Optional.of(self(listenerName, image.broker(brokerId).map(BrokerImage::fenced).orElse(false)));
        }
        return image.broker(brokerId).flatMap(b -> advertised(b, listenerName));
    }

    /**
     * The controller id to tell clients: the quorum leader when it is among {@code listed} (clients
     * send controller requests there, and every broker forwards them), else this node.
     */
    public int controllerId(List<AdvertisedBroker> listed) {
        int leader = activeControllerId.getAsInt();
        boolean reachable = leader >= 0 && listed.stream().anyMatch(b -> b.brokerId() == leader && !b.fenced());
        return reachable ? leader : identity.nodeId();
    }

    /**
     * Whether broker {@code brokerId} serves: registered and unfenced in the image (this node also
     * before its registration reaches the image). A replica on a broker that does not is offline.
     */
    public boolean isOnline(MetadataImage image, int brokerId) {
        Optional<BrokerImage> broker = image.broker(brokerId);
        return broker.isPresent() ? !broker.get().fenced() : brokerId == identity.nodeId();
    }

    private AdvertisedBroker self(String listenerName, boolean fenced) {
        Endpoint self = identity.endpointFor(listenerName);
        return new AdvertisedBroker(identity.nodeId(), self.host(), self.port(), identity.rack(), fenced);
    }

    private static Optional<AdvertisedBroker> advertised(BrokerImage broker, String listenerName) {
        Optional<BrokerEndpoint> endpoint = broker.endpoint(listenerName);
        if (endpoint.isEmpty() && !broker.endpoints().isEmpty()) {
            endpoint = Optional.of(broker.endpoints().get(0));
        }
        return endpoint.map(e -> new AdvertisedBroker(broker.brokerId(), e.host(), e.port(), broker.rack(),
                broker.fenced()));
    }
}
