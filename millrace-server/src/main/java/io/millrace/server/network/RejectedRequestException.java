package io.millrace.server.network;

/**
 * The bytes a client sent are not a request this broker can serve (or a failure cannot be told to
 * the client), so its connection is closed. The message is one line for an operator: what was
 * wrong, with the parser's short reason where that helps. No stack trace: it is the client's fault.
 */
final class RejectedRequestException extends Exception {

    RejectedRequestException(String message) {
        super(message, null, false, false);
    }
}
