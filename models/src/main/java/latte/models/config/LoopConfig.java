package latte.models.config;

/**
 * The interleaved loop of PlaNet and Dreamer (Hafner et al. 2019, algorithm 1): sizes of the
 * replayed batches, how much is trained per collected episode, and how the run is evaluated.
 *
 * @param batch            sequences per batch B
 * @param chunk            steps per sequence T
 * @param seedEpisodes     episodes of random actions before training
 * @param trainSteps       gradient steps per collected episode C
 * @param explorationNoise std of the Gaussian noise added to the agent's action when collecting
 * @param actionRepeat     environment steps per decision
 * @param evalEvery        evaluate (without noise) every this many collected episodes
 * @param evalEpisodes     episodes of the final evaluation
 * @param replayCapacity   replay bound in decisions; older whole episodes are dropped, from memory and from disk
 * @param shards           data-parallel shards of a training step: the batch's sequences are cut into this many
 *                         (at most B) parts, each run through the whole model on one thread with its own tape
 *                         ({@link latte.autodiff.DataParallel}); losses are averaged over the parts, so results
 *                         depend on the shards, not on the threads
 */
public record LoopConfig(int batch, int chunk, int seedEpisodes, int trainSteps, float explorationNoise, int actionRepeat,
                         int evalEvery, int evalEpisodes, long replayCapacity, int shards) {
    public LoopConfig {
        java.util.List<String> bad = new java.util.ArrayList<>();
        if (batch <= 0) bad.add("batch " + batch + " (> 0)");
        if (chunk < 2) bad.add("chunk " + chunk + " (>= 2)");
        if (seedEpisodes < 1) bad.add("seedEpisodes " + seedEpisodes + " (>= 1)");
        if (trainSteps < 0) bad.add("trainSteps " + trainSteps + " (>= 0)");
        if (!(explorationNoise >= 0)) bad.add("explorationNoise " + explorationNoise + " (>= 0)");
        if (actionRepeat < 1) bad.add("actionRepeat " + actionRepeat + " (>= 1)");
        if (evalEvery < 1 || evalEpisodes < 1) bad.add("evalEvery " + evalEvery + ", evalEpisodes " + evalEpisodes + " (>= 1)");
        if (replayCapacity < chunk) bad.add("replayCapacity " + replayCapacity + " (>= chunk)");
        if (shards < 1) bad.add("shards " + shards + " (>= 1)");
        if (!bad.isEmpty()) throw new IllegalArgumentException("loop: invalid " + String.join("; ", bad));
    }
}
