package io.millrace.server.network;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Reads and writes the {@code throttle_time_ms} of any generated response class that has one
 * (found once per class). In every response that has the field it is ignorable or in all versions,
 * so setting it never makes a response unwritable. Stateless and thread-safe.
 */
final class ThrottleTimes {
    private static final ClassValue<MethodHandle[]> ACCESSORS = new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new MethodHandle[] {
                    lookup.findVirtual(type, "throttleTimeMs", MethodType.methodType(int.class)),
                    lookup.findVirtual(type, "setThrottleTimeMs", MethodType.methodType(type, int.class))
                };
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return null;
            }
        }
    };

    private ThrottleTimes() {
    }

    /** The response's throttle time (a handler may have set one), 0 when it has none. */
    static int get(ApiMessage response) {
        MethodHandle[] accessors = ACCESSORS.get(response.getClass());
        if (accessors == null) {
            return 0;
        }
        try {
            return (int) accessors[0].invoke(response);
        } catch (Throwable t) {
            throw new IllegalStateException("Cannot read throttle_time_ms of " + response.getClass().getSimpleName(), t);
        }
    }

    /** Sets the response's throttle time; false when the response has no such field. */
    static boolean set(ApiMessage response, int throttleMs) {
        MethodHandle[] accessors = ACCESSORS.get(response.getClass());
        if (accessors == null) {
            return false;
        }
        try {
            accessors[1].invoke(response, throttleMs);
            return true;
        } catch (Throwable t) {
            throw new IllegalStateException("Cannot set throttle_time_ms of " + response.getClass().getSimpleName(), t);
        }
    }
}
