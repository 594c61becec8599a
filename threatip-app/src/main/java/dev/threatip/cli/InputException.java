package dev.threatip.cli;

/**
 * Input the command cannot work with, found by the command itself (no feed compiled, a config
 * key it does not know): exits 2 with the message, like the core's typed format errors.
 */
final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}
