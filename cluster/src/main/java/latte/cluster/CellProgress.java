package latte.cluster;

/**
 * A running cell's latest figures, posted by its member every few seconds for the sweep's
 * progress lines and per-cell ETA.
 *
 * @param fraction       of the budget spent, 0..1 (the trainer's own measure)
 * @param elapsedSeconds the run's training time so far, across resumes
 * @param syncSeconds    this attempt's time spent uploading checkpoints (the sweep's overhead on the member)
 * @param syncBytes      the bytes it uploaded
 */
public record CellProgress(String cell, int attempt, String phase, double fraction, double elapsedSeconds, int episodes,
                           long envSteps, long trainSteps, double syncSeconds, long syncBytes) {
    /** Seconds left by the pace so far, or NaN before there is a pace. */
    public double etaSeconds() {
        return fraction > 0.01 ? elapsedSeconds * (1 - fraction) / fraction : Double.NaN;
    }
}
