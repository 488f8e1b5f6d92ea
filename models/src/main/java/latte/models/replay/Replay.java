package latte.models.replay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import latte.core.Rng;

/**
 * Experience replay of whole episodes, each observation stored as the bytes of its
 * {@link ObsSpec} (uint8 frames, 0/1 grids, or float32 state vectors).
 *
 * <p>Memory is bounded by {@code capacitySteps}: when an append would exceed it, whole oldest
 * episodes are dropped. A 64x64 RGB frame is 12,288 bytes, so 100,000 steps hold about 1.2 GB of
 * frames (actions and rewards add {@code 4 (A + 1)} bytes a step).
 *
 * <p>An episode is recorded as its first frame followed by one {@code (action, reward, frame,
 * terminal)} per step; {@link #sample} cuts chunks of {@code T} consecutive frames that each
 * have the action and reward that led to them (see {@link Batch} for the index convention).
 */
public final class Replay {
    private final ObsSpec layout;
    private final int actionSize;
    private final long capacitySteps;
    private final Deque<Episode> episodes = new ArrayDeque<>();
    private Episode open;
    private long storedSteps;
    private long totalSteps;
    private int totalEpisodes;

    /** One episode: {@code frames.size() == steps + 1}. */
    private static final class Episode {
        final List<byte[]> frames = new ArrayList<>();
        float[] actions = new float[64];
        float[] rewards = new float[16];
        boolean terminal;

        int steps() {
            return frames.size() - 1;
        }
    }

    public Replay(ObsSpec layout, int actionSize, long capacitySteps) {
        if (actionSize <= 0 || capacitySteps <= 0)
            throw new IllegalArgumentException("Replay: sizes must be positive, got " + layout + ", actions " + actionSize
                    + ", capacity " + capacitySteps);
        this.layout = layout;
        this.actionSize = actionSize;
        this.capacitySteps = capacitySteps;
    }

    /** Starts a new episode at {@code frame}, the stored bytes of the first observation (an unfinished one is discarded). */
    public void begin(byte[] frame) {
        open = new Episode();
        open.frames.add(checkFrame(frame));
    }

    /** Records one step: {@code action} taken, {@code reward} received, {@code frame} (stored bytes) seen next. */
    public void append(float[] action, float reward, byte[] frame, boolean terminal) {
        if (open == null) throw new IllegalStateException("Replay.append: call begin(frame) first");
        if (action.length != actionSize)
            throw new IllegalArgumentException("Replay.append: action has " + action.length
                    + " values, expected " + actionSize);
        if (!Float.isFinite(reward)) throw new IllegalArgumentException("Replay.append: reward is " + reward);
        int t = open.steps();
        if ((t + 1) * actionSize > open.actions.length) open.actions = Arrays.copyOf(open.actions, open.actions.length * 2);
        if (t + 1 > open.rewards.length) open.rewards = Arrays.copyOf(open.rewards, open.rewards.length * 2);
        System.arraycopy(action, 0, open.actions, t * actionSize, actionSize);
        open.rewards[t] = reward;
        open.frames.add(checkFrame(frame));
        open.terminal = terminal;
    }

    /**
     * Closes the open episode and stores it, evicting the oldest episodes beyond capacity;
     * returns how many were evicted (the newest is always kept).
     */
    public int end() {
        if (open == null) throw new IllegalStateException("Replay.end: no open episode");
        Episode e = open;
        open = null;
        if (e.steps() == 0) return 0;
        episodes.addLast(e);
        storedSteps += e.steps();
        totalSteps += e.steps();
        totalEpisodes++;
        int evicted = 0;
        for (; storedSteps > capacitySteps && episodes.size() > 1; evicted++) storedSteps -= episodes.removeFirst().steps();
        return evicted;
    }

    /** How each observation is stored. */
    public ObsSpec layout() {
        return layout;
    }

    /** Episodes currently stored. */
    public int episodes() {
        return episodes.size();
    }

    /** Steps currently stored. */
    public long steps() {
        return storedSteps;
    }

    /** Steps ever appended (also those evicted since). */
    public long totalSteps() {
        return totalSteps;
    }

    /** Episodes ever stored. */
    public int totalEpisodes() {
        return totalEpisodes;
    }

    /** The first observation (stored bytes) of every stored episode, oldest first: where episodes start. */
    public List<byte[]> firstObservations() {
        List<byte[]> out = new ArrayList<>(episodes.size());
        for (Episode e : episodes) out.add(e.frames.getFirst().clone());
        return out;
    }

    /** Steps of the longest stored episode (0 when empty). */
    public int longestEpisode() {
        int n = 0;
        for (Episode e : episodes) n = Math.max(n, e.steps());
        return n;
    }

    /** Whether some stored episode is long enough to cut a chunk of {@code steps} frames. */
    public boolean canSample(int steps) {
        for (Episode e : episodes) if (e.steps() >= steps) return true;
        return false;
    }

    /**
     * Samples {@code batch} chunks of {@code steps} frames, each from one stored episode, every
     * valid chunk equally likely. Chunks start at step 1 or later so that every frame has the
     * action that led to it.
     */
    public Batch sample(int batch, int steps, Rng rng) {
        if (batch <= 0 || steps <= 0)
            throw new IllegalArgumentException("Replay.sample: batch " + batch + " and steps " + steps + " must be positive");
        List<Episode> usable = new ArrayList<>();
        long[] cumulative = new long[episodes.size()];
        long total = 0;
        for (Episode e : episodes) {
            int starts = e.steps() - steps + 1; // start index i in [1, steps_e - T + 1]
            if (starts <= 0) continue;
            total += starts;
            cumulative[usable.size()] = total;
            usable.add(e);
        }
        if (total == 0)
            throw new IllegalStateException("Replay.sample: no stored episode has " + steps
                    + " steps (have " + episodes.size() + " episodes, " + storedSteps + " steps)");
        int frame = layout.bytes();
        byte[] obs = new byte[steps * batch * frame];
        float[] act = new float[steps * batch * actionSize];
        float[] rew = new float[steps * batch];
        float[] nonterminal = new float[steps * batch];
        for (int b = 0; b < batch; b++) {
            long pick = (long) (rng.nextDouble() * total);
            int ei = upperBound(cumulative, usable.size(), pick);
            Episode e = usable.get(ei);
            int start = 1 + (int) (pick - (ei == 0 ? 0 : cumulative[ei - 1]));
            for (int t = 0; t < steps; t++) {
                int i = start + t, row = t * batch + b;
                System.arraycopy(e.frames.get(i), 0, obs, row * frame, frame);
                System.arraycopy(e.actions, (i - 1) * actionSize, act, row * actionSize, actionSize);
                rew[row] = e.rewards[i - 1];
                nonterminal[row] = (e.terminal && i == e.steps()) ? 0f : 1f;
            }
        }
        return new Batch(steps, batch, layout, actionSize, obs, act, rew, nonterminal);
    }

    private static int upperBound(long[] cumulative, int n, long value) {
        int lo = 0, hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > value) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private byte[] checkFrame(byte[] frame) {
        if (frame.length != layout.bytes())
            throw new IllegalArgumentException("Replay: observation has " + frame.length + " bytes, expected "
                    + layout + " = " + layout.bytes());
        return frame.clone();
    }
}
