package latte.models.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import latte.core.Rng;
import org.junit.jupiter.api.Test;

class ReplayTest {
    /** A 1x1x1 "frame" whose only pixel encodes (episode, step) so chunks can be checked exactly. */
    private static byte[] px(int episode, int step) {
        return new byte[] {(byte) (episode * 40 + step)};
    }

    private static void record(Replay r, int episode, int steps, boolean terminal) {
        r.begin(px(episode, 0));
        for (int s = 1; s <= steps; s++)
            r.append(new float[] {episode, s}, 100 * episode + s, px(episode, s), terminal && s == steps);
        r.end();
    }

    /** Episode 1 (10 steps, cut off) and episode 2 (6 steps, terminal). */
    private static Replay twoEpisodes() {
        Replay r = new Replay(ObsSpec.frame(1, 1, 1), 2, 1000);
        record(r, 1, 10, false);
        record(r, 2, 6, true);
        return r;
    }

    @Test
    void chunksFollowTheActionLeadsToFrameConvention() {
        Batch b = twoEpisodes().sample(64, 4, new Rng(5));
        for (int i = 0; i < 64; i++) {
            int first = b.obs()[i] & 0xff;
            int episode = first / 40, start = first % 40;
            assertThat(start).isGreaterThanOrEqualTo(1);
            for (int t = 0; t < 4; t++) {
                int row = t * 64 + i;
                assertThat(b.obs()[row] & 0xff).isEqualTo(episode * 40 + start + t);
                // action[t] and reward[t] are those that led to obs[t] = o_{start+t}
                assertThat(b.action()[row * 2]).isEqualTo(episode);
                assertThat(b.action()[row * 2 + 1]).isEqualTo(start + t);
                assertThat(b.reward()[row]).isEqualTo(100 * episode + start + t);
                boolean last = episode == 2 && start + t == 6;
                assertThat(b.nonterminal()[row]).isEqualTo(last ? 0f : 1f);
            }
        }
    }

    @Test
    void everyValidChunkIsSampledAndShortEpisodesAreSkipped() {
        Replay r = new Replay(ObsSpec.frame(1, 1, 1), 2, 1000);
        record(r, 1, 5, false); // starts 1..2 for T = 4
        record(r, 2, 2, false); // too short
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        Batch b = r.sample(200, 4, new Rng(1));
        for (int i = 0; i < 200; i++) seen.add(b.obs()[i] & 0xff);
        assertThat(seen).containsExactlyInAnyOrder(41, 42);
    }

    @Test
    void evictsWholeOldestEpisodesBeyondCapacity() {
        Replay r = new Replay(ObsSpec.frame(1, 1, 1), 2, 12);
        record(r, 1, 5, false);
        record(r, 2, 5, false);
        record(r, 3, 5, false);
        assertThat(r.episodes()).isEqualTo(2);
        assertThat(r.steps()).isEqualTo(10);
        assertThat(r.totalSteps()).isEqualTo(15);
        Batch b = r.sample(50, 2, new Rng(2));
        for (int i = 0; i < 50; i++) assertThat((b.obs()[i] & 0xff) / 40).isIn(2, 3);
    }

    @Test
    void sameSeedSameBatch() {
        Replay r = new Replay(ObsSpec.frame(1, 1, 1), 2, 1000);
        record(r, 1, 9, false);
        record(r, 2, 7, false);
        assertThat(r.sample(8, 3, new Rng(4)).obs()).containsExactly(r.sample(8, 3, new Rng(4)).obs());
    }

    @Test
    void badInputIsRejectedClearly() {
        Replay r = new Replay(ObsSpec.frame(2, 2, 3), 1, 100);
        assertThatThrownBy(() -> r.begin(new byte[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected frame [2, 2, 3] = 12");
        r.begin(new byte[12]);
        assertThatThrownBy(() -> r.append(new float[2], 0, new byte[12], false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 1");
        assertThatThrownBy(() -> r.append(new float[1], Float.NaN, new byte[12], false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> r.sample(1, 1, new Rng(0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no stored episode");
    }

    @Test
    void sequencesCutsEveryStepOfABatchToTheChosenSequences() {
        Batch b = twoEpisodes().sample(5, 3, new Rng(7));
        Batch part = b.sequences(1, 4);
        assertThat(part.batch()).isEqualTo(3);
        assertThat(part.steps()).isEqualTo(3);
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 3; i++) {
                int from = t * 5 + i + 1, to = t * 3 + i;
                assertThat(part.obs()[to]).isEqualTo(b.obs()[from]);
                assertThat(part.action()[to * 2]).isEqualTo(b.action()[from * 2]);
                assertThat(part.action()[to * 2 + 1]).isEqualTo(b.action()[from * 2 + 1]);
                assertThat(part.reward()[to]).isEqualTo(b.reward()[from]);
                assertThat(part.nonterminal()[to]).isEqualTo(b.nonterminal()[from]);
            }
        }
        assertThatThrownBy(() -> b.sequences(3, 3)).hasMessageContaining("[3, 3) is not a non-empty range of the 5 sequences");
        assertThatThrownBy(() -> b.sequences(2, 6)).hasMessageContaining("of the 5 sequences");
    }
}
