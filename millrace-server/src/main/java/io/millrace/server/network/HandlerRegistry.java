package io.millrace.server.network;

import io.millrace.server.api.ApiHandler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The handler of each API key this broker serves, and the version ranges it advertises.
 *
 * <p>Immutable once built; safe to share between threads. A handler that must describe the
 * registry it belongs to (ApiVersions) is built by {@link #of(Collection, Function)}: its factory
 * receives the registry before the handler is added, so that handler must only read the registry
 * when it serves a request, never in its constructor.
 */
public final class HandlerRegistry {
    private final Map<ApiKeys, ApiHandler<?>> handlers;

    private HandlerRegistry(Map<ApiKeys, ApiHandler<?>> handlers) {
        this.handlers = handlers;
    }

    /** A registry of exactly {@code handlers}. */
    public static HandlerRegistry of(Collection<? extends ApiHandler<?>> handlers) {
        Map<ApiKeys, ApiHandler<?>> map = new EnumMap<>(ApiKeys.class);
        handlers.forEach(h -> add(map, h));
        return new HandlerRegistry(Collections.unmodifiableMap(map));
    }

    /**
     * A registry of {@code handlers} plus one handler that needs the registry itself, typically
     * {@code HandlerRegistry.of(handlers, ApiVersionsHandler::new)}.
     */
    public static HandlerRegistry of(Collection<? extends ApiHandler<?>> handlers,
                                     Function<HandlerRegistry, ? extends ApiHandler<?>> selfDescribing) {
        Map<ApiKeys, ApiHandler<?>> map = new EnumMap<>(ApiKeys.class);
        handlers.forEach(h -> add(map, h));
        HandlerRegistry registry = new HandlerRegistry(Collections.unmodifiableMap(map));
        // The unmodifiable view reads through to `map`, so the registry sees this last handler.
        // Nothing else holds the registry yet; publishing it to the server's threads happens later.
        add(map, selfDescribing.apply(registry));
        return registry;
    }

    /** The handler of {@code apiKey}, or null when this broker does not serve it. */
    public ApiHandler<?> handler(ApiKeys apiKey) {
        return handlers.get(apiKey);
    }

    /** The served range of {@code apiKey}, or null when this broker does not serve it. */
    public ApiVersionRange range(ApiKeys apiKey) {
        ApiHandler<?> handler = handlers.get(apiKey);
        return handler == null ? null : rangeOf(handler);
    }

    /** Every served API in API key order. */
    public List<ApiVersionRange> servedVersions() {
        List<ApiVersionRange> ranges = new ArrayList<>(handlers.size());
        for (ApiHandler<?> handler : handlers.values()) {
            ranges.add(rangeOf(handler));
        }
        return ranges;
    }

    private static ApiVersionRange rangeOf(ApiHandler<?> handler) {
        return new ApiVersionRange(handler.apiKey(), handler.minVersion(), handler.maxVersion());
    }

    private static void add(Map<ApiKeys, ApiHandler<?>> map, ApiHandler<?> handler) {
        ApiKeys key = handler.apiKey();
        short min = handler.minVersion();
        short max = handler.maxVersion();
        // Versions outside what the pinned kafka-clients knows could not be parsed at all.
        if (min < key.oldestVersion() || max > key.latestVersion(true) || min > max) {
            throw new IllegalArgumentException(handler.getClass().getSimpleName() + " claims " + key.name
                    + " v" + min + "..v" + max + ", but only v" + key.oldestVersion() + "..v"
                    + key.latestVersion(true) + " exist");
        }
        ApiHandler<?> previous = map.putIfAbsent(key, handler);
        if (previous != null) {
            throw new IllegalArgumentException("Two handlers for " + key.name + ": "
                    + previous.getClass().getSimpleName() + " and " + handler.getClass().getSimpleName());
        }
    }
}
