package latte.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import latte.models.loop.Trainer;

/**
 * A one-line progress bar with elapsed time, ETA and the live metrics, redrawn in place on a
 * terminal (carriage return) and printed as plain lines at most every 30 s when output is
 * redirected (logs stay readable).
 */
final class ProgressBar implements Trainer.Listener {
    private final PrintStream out;
    private final boolean terminal;
    private long lastPlain;
    private int lastLength;

    ProgressBar(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public void progress(Trainer.Progress p) {
        String line = format(p);
        if (terminal) {
            String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
            out.print("\r" + line + pad);
            lastLength = line.length();
            if ("done".equals(p.phase())) out.println();
        } else {
            long now = System.nanoTime();
            if (now - lastPlain > 30e9 || "done".equals(p.phase()) || lastPlain == 0) {
                out.println(line);
                lastPlain = now;
            }
        }
        out.flush();
    }

    @Override
    public void message(String line) {
        if (terminal && lastLength > 0) out.println();
        out.println(line);
        lastLength = 0;
    }

    static String format(Trainer.Progress p) {
        int width = 24, filled = (int) Math.round(p.fraction() * width);
        StringBuilder sb = new StringBuilder();
        sb.append('[').append("#".repeat(filled)).append(".".repeat(width - filled)).append(']');
        sb.append(String.format(Locale.ROOT, " %3.0f%% %s", 100 * p.fraction(), clock(p.elapsedSeconds())));
        if (p.fraction() > 0.01 && p.fraction() < 1)
            sb.append(" ETA ").append(clock(p.elapsedSeconds() * (1 - p.fraction()) / p.fraction()));
        sb.append(String.format(Locale.ROOT, " | %s | ep %d, %d env steps, %d updates", p.phase(), p.episode(), p.envSteps(), p.trainSteps()));
        if (!Double.isNaN(p.lastReturn())) sb.append(String.format(Locale.ROOT, " | return %.1f", p.lastReturn()));
        if (!Double.isNaN(p.lastEval())) sb.append(String.format(Locale.ROOT, " | eval %.1f", p.lastEval()));
        for (Map.Entry<String, Double> e : p.losses().entrySet())
            if (!e.getKey().equals("gradNorm")) sb.append(String.format(Locale.ROOT, " %s %.3g", abbreviate(e.getKey()), e.getValue()));
        return sb.toString();
    }

    private static String abbreviate(String k) {
        return switch (k) {
            case "reconstruction" -> "rec";
            case "reward" -> "rew";
            default -> k;
        };
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
