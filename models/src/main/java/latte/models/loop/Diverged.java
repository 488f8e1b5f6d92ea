package latte.models.loop;

/** A NaN or infinite loss or gradient: the message names the step and the term; no update was applied. */
public final class Diverged extends RuntimeException {
    public Diverged(String message) {
        super(message);
    }
}
