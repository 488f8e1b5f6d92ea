package latte.envs.minatar;

import java.util.ArrayList;
import java.util.List;

/** A {@link Draws} that forwards to another source and logs every draw, in order. */
public final class DrawRecorder implements Draws {
    private final Draws inner;
    private final List<Draw> log = new ArrayList<>();

    public DrawRecorder(Draws inner) {
        if (inner == null) throw new IllegalArgumentException("DrawRecorder: inner source is null");
        this.inner = inner;
    }

    @Override
    public double rand() {
        double v = inner.rand();
        log.add(new Draw.Rand(v));
        return v;
    }

    @Override
    public int randint(int low, int high) {
        int v = inner.randint(low, high);
        log.add(new Draw.RandInt(low, high, v));
        return v;
    }

    /** A copy of the draws so far. */
    public List<Draw> draws() {
        return List.copyOf(log);
    }

    /** Forgets the draws so far. */
    public void clear() {
        log.clear();
    }
}
