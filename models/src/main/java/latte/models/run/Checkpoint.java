package latte.models.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.autodiff.ParamStore;
import latte.autodiff.io.Safetensors;
import latte.autodiff.optim.Adam;

/**
 * A learner's checkpoint: parameter stores in safetensors files and their optimisers' moments in
 * optimizer.safetensors, written atomically file by file with model.safetensors last, so that a
 * crash leaves either the previous complete checkpoint or the new one. Every file carries the
 * checkpoint's metadata (its train step); on load, files of different steps (an interrupted
 * write) are refused, as are shapes of another configuration and non-finite weights.
 * <pre>
 *   model.safetensors      the first store, its tensors under their own names
 *   NAME.safetensors       further stores, their tensors under PREFIX + name
 *   optimizer.safetensors  per optimiser PREFIX + "m", PREFIX + "v"; metadata PREFIX + "adamSteps" and the extras
 * </pre>
 */
public final class Checkpoint {
    /** Parameters of {@code store} in file {@code file} (without extension; "model" is the main one) under {@code prefix}. */
    public record Params(String file, String prefix, ParamStore store) {}

    /** The moments of {@code adam} under {@code prefix} in optimizer.safetensors. */
    public record Moments(String prefix, Adam adam) {}

    private final List<Params> params;
    private final List<Moments> moments;

    public Checkpoint(List<Params> params, List<Moments> moments) {
        if (params.isEmpty() || !params.getFirst().file().equals("model"))
            throw new IllegalArgumentException("Checkpoint: the first parameters must go to the 'model' file");
        this.params = params;
        this.moments = moments;
    }

    /** Writes every file; {@code extra} is the learner's own state (counters, running statistics) in the optimizer file. */
    public void save(RunDir run, Map<String, String> metadata, Map<String, String> modelMetadata, Map<String, String> extra) {
        Map<String, Safetensors.Entry> opt = new LinkedHashMap<>();
        Map<String, String> optMeta = new LinkedHashMap<>(metadata);
        for (Moments m : moments) {
            Adam.State s = m.adam().state();
            opt.put(m.prefix() + "m", new Safetensors.Entry(new int[] {s.m().length}, s.m()));
            opt.put(m.prefix() + "v", new Safetensors.Entry(new int[] {s.v().length}, s.v()));
            optMeta.put(m.prefix() + "adamSteps", Long.toString(s.steps()));
        }
        optMeta.putAll(extra);
        Safetensors.write(run.optimizer(), opt, optMeta);
        Map<String, Map<String, Safetensors.Entry>> files = new LinkedHashMap<>();
        for (Params p : params.subList(1, params.size())) put(files.computeIfAbsent(p.file(), f -> new LinkedHashMap<>()), p);
        for (var f : files.entrySet()) Safetensors.write(file(run, f.getKey()), f.getValue(), metadata);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.putAll(modelMetadata);
        Safetensors.save(params.getFirst().store(), run.model(), meta);               // last: marks the checkpoint complete
    }

    /**
     * Restores every file; returns the optimizer file's metadata (the learner's extras), or an
     * empty map when there is no optimizer file (the moments then start fresh).
     */
    public Map<String, String> load(RunDir run) {
        Map<String, String> meta = Safetensors.load(params.getFirst().store(), run.model());
        Map<String, Safetensors.Contents> read = new LinkedHashMap<>();
        for (Params p : params.subList(1, params.size())) {
            Path f = file(run, p.file());
            Safetensors.Contents c = read.computeIfAbsent(p.file(), k -> {
                if (!Files.exists(f)) throw new IllegalArgumentException(run.path() + " has no " + f.getFileName() + " (the checkpoint is incomplete)");
                Safetensors.Contents x = Safetensors.read(f);
                checkStep(meta, x.metadata(), f);
                return x;
            });
            take(c, p, f);
        }
        if (!Files.exists(run.optimizer())) return Map.of();
        Safetensors.Contents opt = Safetensors.read(run.optimizer());
        checkStep(meta, opt.metadata(), run.optimizer());
        for (Moments m : moments) {
            Safetensors.Entry mm = opt.tensors().get(m.prefix() + "m"), vv = opt.tensors().get(m.prefix() + "v");
            String steps = opt.metadata().get(m.prefix() + "adamSteps");
            if (mm == null || vv == null || steps == null)
                throw new IllegalArgumentException(run.optimizer() + " has no moments '" + m.prefix() + "m' (the file does not match this agent)");
            m.adam().restore(new Adam.State(mm.data(), vv.data(), Long.parseLong(steps)));
        }
        return opt.metadata();
    }

    private static Path file(RunDir run, String name) {
        return run.path().resolve(name + ".safetensors");
    }

    private static void put(Map<String, Safetensors.Entry> out, Params p) {
        float[] v = p.store().values();
        for (ParamStore.Param q : p.store().params())
            out.put(p.prefix() + q.name(), new Safetensors.Entry(q.shape(), Arrays.copyOfRange(v, q.offset(), q.offset() + q.size())));
    }

    private static void take(Safetensors.Contents c, Params p, Path where) {
        List<String> bad = new ArrayList<>();
        for (ParamStore.Param q : p.store().params()) {
            Safetensors.Entry e = c.tensors().get(p.prefix() + q.name());
            if (e == null || !Arrays.equals(e.shape(), q.shape()))
                throw new IllegalArgumentException(where + ": tensor '" + p.prefix() + q.name() + "' is "
                        + (e == null ? "missing" : "of shape " + Arrays.toString(e.shape())) + ", the agent expects "
                        + Arrays.toString(q.shape()) + " (the file does not match this configuration)");
            for (float x : e.data()) if (!Float.isFinite(x)) { bad.add(p.prefix() + q.name()); break; }
        }
        if (!bad.isEmpty())
            throw new IllegalArgumentException(where + ": tensor '" + bad.getFirst() + "' holds NaN or infinite values (a checkpoint of a"
                    + " diverged run?); refusing to load it");
        for (ParamStore.Param q : p.store().params())
            System.arraycopy(c.tensors().get(p.prefix() + q.name()).data(), 0, p.store().values(), q.offset(), q.size());
    }

    private static void checkStep(Map<String, String> model, Map<String, String> other, Path file) {
        if (!String.valueOf(model.get("trainSteps")).equals(other.get("trainSteps")))
            throw new IllegalArgumentException(file + " is from train step " + other.get("trainSteps") + " but the model is from step "
                    + model.get("trainSteps") + " (interrupted checkpoint); delete it to resume with fresh optimiser moments");
    }
}
