package io.millrace.cli;

/** The command line cannot be understood; the message says why, usage follows it. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
