package io.millrace.console;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;

/** Waiting on Admin futures with a bound, and the one-line description of their failures. Stateless. */
final class AdminCalls {

    /** How long a page or a sampler pass waits for one Admin call. */
    static final long TIMEOUT_MS = 10_000;

    private AdminCalls() {
    }

    /** The future's value; its failure's cause is thrown as is, a wait past the bound as a TimeoutException. */
    static <T> T get(KafkaFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("no answer from the cluster within " + TIMEOUT_MS + " ms");
        }
    }

    /** Consumer groups (the new protocol's and classic ones, which are the ones that commit offsets), by id. */
    static List<String> consumerGroupIds(Admin admin) throws Exception {
        List<String> ids = new ArrayList<>();
        for (GroupListing g : get(admin.listGroups().all())) {
            GroupType type = g.type().orElse(GroupType.CLASSIC);
            if (type == GroupType.CONSUMER
                    || (type == GroupType.CLASSIC && (g.protocol().isEmpty() || g.protocol().equals("consumer")))) {
                ids.add(g.groupId());
            }
        }
        ids.sort(null);
        return ids;
    }

    /** The exception's message and its causes', in one line. */
    static String describe(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (line.indexOf(message) < 0) {
                if (!line.isEmpty()) {
                    line.append(": ");
                }
                line.append(message);
            }
        }
        return line.toString().replace('\n', ' ');
    }
}
