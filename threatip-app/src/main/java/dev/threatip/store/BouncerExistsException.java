package dev.threatip.store;

/** A bouncer name, or a bouncer key, that is already registered: names the bouncer. */
public final class BouncerExistsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BouncerExistsException(String message) {
        super(message);
    }
}
