package latte.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import latte.autodiff.io.AtomicFile;
import latte.models.Agents;
import latte.models.evolve.Evolution;
import latte.models.run.RunDir;
import latte.models.worldmodels.WorldModelsLearner;

/**
 * World Models' controller search with its rollouts on the cluster: the payload is the run's
 * config.json and V and M as safetensors bytes (model.safetensors, mdn.safetensors), shipped
 * once; each member rebuilds the learner from them and evaluates candidates with
 * {@link WorldModelsLearner#realFitness()}, the fitness of the local search.
 */
public final class WorldModelsRollouts {
    public static final String KIND = "worldmodels.real";
    /** The files a member needs to rebuild V, M and C's shape. */
    static final List<String> FILES = List.of("config.json", "model.safetensors", "mdn.safetensors");

    private WorldModelsRollouts() {}

    /** Registers the kind on this member (every member of a cluster that evolves World Models' C must). */
    public static void register() {
        Rollouts.register(KIND, WorldModelsRollouts::fitness);
    }

    /** The fitness of a World Models run's last checkpoint, as the members rebuild it. */
    public static Rollouts.Portable portable(RunDir run) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String f : FILES) {
                byte[] b = Files.readAllBytes(run.path().resolve(f));
                out.writeUTF(f);
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint of " + run.path() + " (World Models' V and M): " + e.getMessage(), e);
        }
        return new Rollouts.Portable(KIND, bytes.toByteArray());
    }

    static Evolution.Fitness fitness(byte[] payload) {
        Path dir = null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            dir = Files.createTempDirectory("latte-worldmodels");
            for (int i = 0; i < FILES.size(); i++) {
                String name = in.readUTF();
                if (!FILES.contains(name) || name.contains("/")) throw new IllegalArgumentException("a World Models payload holds '" + name + "'");
                AtomicFile.write(dir.resolve(name), in.readNBytes(in.readInt()));
            }
            if (!(Agents.open(dir, true).learner() instanceof WorldModelsLearner l))
                throw new IllegalArgumentException("the payload of kind " + KIND + " is not a World Models run");
            return l.realFitness();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack a World Models payload: " + e.getMessage(), e);
        } finally {
            if (dir != null) Worker.deleteTree(dir);
        }
    }
}
