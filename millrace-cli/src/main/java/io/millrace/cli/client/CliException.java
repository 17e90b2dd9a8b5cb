package io.millrace.cli.client;

/** A failure to report in one line on stderr, with exit code 1. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
