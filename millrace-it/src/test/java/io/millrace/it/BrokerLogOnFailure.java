package io.millrace.it;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the output tail of every broker process a test registered when that test fails, so the
 * failure report says what the broker was doing. Register with {@code @RegisterExtension}; call
 * {@link #watch} for each process. Used by one test thread at a time.
 */
public final class BrokerLogOnFailure implements TestWatcher {
    private static final int TAIL_LINES = 60;

    private final List<BrokerProcess> watched = new ArrayList<>();

    public BrokerProcess watch(BrokerProcess process) {
        watched.add(process);
        return process;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (BrokerProcess process : watched) {
            System.out.println("==== " + context.getDisplayName() + " failed; broker output "
                    + process.logFile().toAbsolutePath() + " ends with:\n" + process.logTail(TAIL_LINES));
        }
        watched.clear();
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        watched.clear();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        watched.clear();
    }
}
