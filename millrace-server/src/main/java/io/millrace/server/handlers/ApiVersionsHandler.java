package io.millrace.server.handlers;

import io.millrace.server.api.ApiHandler;
import io.millrace.server.api.RequestContext;
import io.millrace.server.network.ApiVersionRange;
import io.millrace.server.network.HandlerRegistry;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKeyCollection;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKeyCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ApiVersions: tells a client which versions of which APIs this broker serves, read from the
 * {@link HandlerRegistry} it belongs to. Build it with
 * {@code HandlerRegistry.of(handlers, registry -> new ApiVersionsHandler(registry, clusterId, nodeId))}.
 *
 * <ul>
 *   <li>A version newer than ours (the socket server passes it with an empty body) gets
 *       UNSUPPORTED_VERSION with our ranges, which the server sends as a v0 response (KIP-511).</li>
 *   <li>v3+: the client software name and version must be alphanumerics, '.' and '-', starting and
 *       ending with an alphanumeric (KIP-511), else INVALID_REQUEST.</li>
 *   <li>v5+: a client may name the cluster and node it means to reach (KIP-1242). A node named
 *       without a cluster is INVALID_REQUEST; a name that is not ours is REBOOTSTRAP_REQUIRED.</li>
 * </ul>
 * Features (v3+): only what this broker implements, finalized at the level it runs:
 * {@code group.version=1} when KIP-848 consumer groups are served, {@code transaction.version=2}
 * when transactions are ({@code TransactionSurfaces}). Nothing else: no {@code metadata.version}
 * (Millrace's metadata is not Kafka's), so clients and {@code kafka-features.sh} see no feature
 * that is not there.
 * Thread-safe; holds no mutable state.
 */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData> {
    private static final Pattern SOFTWARE_NAME_OR_VERSION = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final short FIRST_VERSION_WITH_SOFTWARE = 3;
    private static final short FIRST_VERSION_WITH_IDENTITY = 5;
    private static final int NO_NODE = -1;

    private final Supplier<List<ApiVersionRange>> served;
    private final String clusterId;
    private final int nodeId;
    private final Map<String, Short> features;

    /** A handler that does not check the cluster and node a v5+ client names. */
    public ApiVersionsHandler(HandlerRegistry registry) {
        this(registry, null, NO_NODE);
    }

    /**
     * @param clusterId this broker's cluster id; null skips the KIP-1242 check
     * @param nodeId    this broker's node id
     */
    public ApiVersionsHandler(HandlerRegistry registry, String clusterId, int nodeId) {
        this(registry::servedVersions, clusterId, nodeId, Map.of());
    }

    /**
     * @param features each feature this broker implements and the level it runs at (supported
     *                 from 0 to that level, finalized at it)
     */
    public ApiVersionsHandler(HandlerRegistry registry, String clusterId, int nodeId, Map<String, Short> features) {
        this(registry::servedVersions, clusterId, nodeId, features);
    }

    /**
     * Advertises the ranges of {@code handlers}, read when a request is served, so the collection
     * may still grow (e.g. by this handler) until the server starts. Prefer the registry form.
     */
    public ApiVersionsHandler(Collection<? extends ApiHandler<?>> handlers) {
        this(() -> rangesOf(handlers), null, NO_NODE, Map.of());
    }

    private ApiVersionsHandler(Supplier<List<ApiVersionRange>> served, String clusterId, int nodeId,
                               Map<String, Short> features) {
        this.served = served;
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.features = new TreeMap<>(features);
    }

    private static List<ApiVersionRange> rangesOf(Collection<? extends ApiHandler<?>> handlers) {
        return handlers.stream()
                .map(h -> new ApiVersionRange(h.apiKey(), h.minVersion(), h.maxVersion()))
                .sorted(Comparator.comparing(ApiVersionRange::apiKey))
                .toList();
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public CompletableFuture<ApiVersionsResponseData> handle(RequestContext context, ApiVersionsRequestData request) {
        short version = context.apiVersion();
        ApiVersionsResponseData response;
        if (version > maxVersion()) {
            response = new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                    .setApiKeys(servedVersions());
        } else {
            Errors error = validate(version, request);
            response = new ApiVersionsResponseData().setErrorCode(error.code());
            if (error == Errors.NONE) {
                response.setApiKeys(servedVersions());
                if (version >= FIRST_VERSION_WITH_SOFTWARE) { // the feature fields came with v3 too
                    addFeatures(response);
                }
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private Errors validate(short version, ApiVersionsRequestData request) {
        if (version >= FIRST_VERSION_WITH_SOFTWARE
                && !(isValidSoftwareField(request.clientSoftwareName())
                     && isValidSoftwareField(request.clientSoftwareVersion()))) {
            return Errors.INVALID_REQUEST;
        }
        if (version >= FIRST_VERSION_WITH_IDENTITY) {
            if (request.clusterId() == null) {
                return request.nodeId() == NO_NODE ? Errors.NONE : Errors.INVALID_REQUEST;
            }
            boolean misrouted = clusterId != null
                    && (!clusterId.equals(request.clusterId()) || request.nodeId() != nodeId);
            return misrouted ? Errors.REBOOTSTRAP_REQUIRED : Errors.NONE;
        }
        return Errors.NONE;
    }

    private static boolean isValidSoftwareField(String value) {
        return value != null && SOFTWARE_NAME_OR_VERSION.matcher(value).matches();
    }

    private void addFeatures(ApiVersionsResponseData response) {
        if (features.isEmpty()) {
            return;
        }
        SupportedFeatureKeyCollection supported = new SupportedFeatureKeyCollection();
        FinalizedFeatureKeyCollection finalized = new FinalizedFeatureKeyCollection();
        features.forEach((name, level) -> {
            supported.add(new SupportedFeatureKey().setName(name).setMinVersion((short) 0).setMaxVersion(level));
            finalized.add(new FinalizedFeatureKey().setName(name).setMinVersionLevel(level).setMaxVersionLevel(level));
        });
        response.setSupportedFeatures(supported).setFinalizedFeatures(finalized).setFinalizedFeaturesEpoch(0);
    }

    private ApiVersionCollection servedVersions() {
        // Elements belong to one collection only, so every response gets new ones.
        ApiVersionCollection versions = new ApiVersionCollection();
        for (ApiVersionRange range : served.get()) {
            versions.add(new ApiVersion().setApiKey(range.apiKey().id)
                    .setMinVersion(range.minVersion()).setMaxVersion(range.maxVersion()));
        }
        return versions;
    }
}
