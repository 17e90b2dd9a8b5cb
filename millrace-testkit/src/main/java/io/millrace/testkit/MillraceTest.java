package io.millrace.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts an {@link EmbeddedMillrace} before the annotated test class and stops it after. Test
 * methods, constructors and lifecycle methods get its address with a {@code @BootstrapServers
 * String} parameter, or the {@link EmbeddedMillrace} itself as a parameter.
 *
 * <pre>{@code
 * @MillraceTest(topics = "orders:3")
 * class OrdersTest {
 *     @Test
 *     void sends(@BootstrapServers String bootstrap) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MillraceExtension.class)
public @interface MillraceTest {

    /** Nodes in the cluster, 1 to 9. */
    int nodes() default 1;

    /** Topics created before the first test, each {@code name} or {@code name:partitions}. */
    String[] topics() default {};

    /** Apache Kafka {@code server.properties} settings for every node, each {@code key=value}. */
    String[] brokerProperties() default {};
}
