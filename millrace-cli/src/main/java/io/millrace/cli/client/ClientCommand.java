package io.millrace.cli.client;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every client command has: the connection options, {@code --output}, the streams picocli
 * gives it, and a way to wait on a Kafka future that turns its failure into one line.
 */
abstract class ClientCommand implements Callable<Integer> {
    static final long WAIT_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"--output", "-o"}, paramLabel = "table|json", defaultValue = "table",
            converter = FormatConverter.class, description = "table (default) or json, for scripts.")
    Output.Format format;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void print(List<Map<String, Object>> rows) {
        Output.print(out(), format, rows);
    }

    /** The future's value; its failure as a {@link CliException} naming {@code what} and the brokers. */
    <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CliException(what + " failed: " + cause.getMessage() + " (" + cause.getClass().getSimpleName()
                    + ", brokers " + connection.bootstrapServer + ")");
        } catch (TimeoutException e) {
            throw new CliException(what + ": no answer from " + connection.bootstrapServer + " within "
                    + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(what + ": interrupted");
        }
    }

    /** picocli's converter for {@code --output}. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Output.Format> {
        @Override
        public Output.Format convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "table" -> Output.Format.TABLE;
                case "json" -> Output.Format.JSON;
                default -> throw new picocli.CommandLine.TypeConversionException("table or json, not " + value);
            };
        }
    }
}
