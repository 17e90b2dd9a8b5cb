package io.millrace.testkit;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link MillraceTest}; also usable on its own with
 * {@code @RegisterExtension static MillraceExtension millrace = new MillraceExtension(builder)}.
 * One {@link EmbeddedMillrace} per test class, started before its first test and stopped after
 * its last (JUnit closes it with the class's extension store). Thread-safe as JUnit uses it.
 */
public final class MillraceExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MillraceExtension.class);
    private static final String KEY = "millrace";

    private final EmbeddedMillrace.Builder builder;
    private volatile EmbeddedMillrace running;

    /** For {@link MillraceTest}: the settings come from the annotation. */
    public MillraceExtension() {
        this.builder = null;
    }

    /** For {@code @RegisterExtension}: the settings come from {@code builder}. */
    public MillraceExtension(EmbeddedMillrace.Builder builder) {
        this.builder = builder;
    }

    /** The running cluster (for a static {@code @RegisterExtension} field), once the class's tests started. */
    public EmbeddedMillrace millrace() {
        if (running == null) {
            throw new IllegalStateException("Millrace is not started yet: it starts before the test class's first test");
        }
        return running;
    }

    /** Shorthand for {@code millrace().bootstrapServers()}. */
    public String bootstrapServers() {
        return millrace().bootstrapServers();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(KEY) != null) {
            return; // a nested class reuses its outer class's cluster
        }
        EmbeddedMillrace millrace = (builder != null ? builder : fromAnnotation(context)).start();
        running = millrace;
        store.put(KEY, (ExtensionContext.Store.CloseableResource) millrace::close);
        store.put(KEY + ".instance", millrace);
    }

    private static EmbeddedMillrace.Builder fromAnnotation(ExtensionContext context) {
        Optional<MillraceTest> annotation = context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, MillraceTest.class));
        EmbeddedMillrace.Builder builder = EmbeddedMillrace.builder();
        annotation.ifPresent(a -> {
            builder.nodes(a.nodes());
            for (String topic : a.topics()) {
                int colon = topic.lastIndexOf(':');
                if (colon < 0) {
                    builder.topic(topic, 1);
                } else {
                    builder.topic(topic.substring(0, colon), Integer.parseInt(topic.substring(colon + 1)));
                }
            }
            for (String setting : a.brokerProperties()) {
                int eq = setting.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("@MillraceTest brokerProperties takes key=value, not " + setting);
                }
                builder.brokerProperty(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
            }
        });
        return builder;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedMillrace.class
                || (type == String.class && parameter.isAnnotated(BootstrapServers.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmbeddedMillrace millrace = context.getStore(NAMESPACE).get(KEY + ".instance", EmbeddedMillrace.class);
        if (millrace == null) {
            throw new ParameterResolutionException("Millrace is started before all tests of a class: "
                    + "use @MillraceTest (or a static @RegisterExtension field)");
        }
        return parameter.getParameter().getType() == EmbeddedMillrace.class ? millrace : millrace.bootstrapServers();
    }
}
