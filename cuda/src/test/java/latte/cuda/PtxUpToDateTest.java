package latte.cuda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs without a GPU: the shipped PTX was generated from the current CUDA sources and has every kernel. */
class PtxUpToDateTest {
    private static final Path SOURCES = Path.of("src/main/cuda");

    @Test
    void ptxHeaderRecordsTheHashOfTheCurrentSources() throws IOException, NoSuchAlgorithmException {
        String ptx = new String(Cuda.ptx(), StandardCharsets.US_ASCII);
        String first = ptx.substring(0, ptx.indexOf('\n'));
        assertThat(first).startsWith("// latte-cuda-sources-sha256: ");
        assertThat(first.substring(first.indexOf(": ") + 2))
                .as("kernels.ptx is stale: run scripts/build-ptx.sh after editing cuda/src/main/cuda")
                .isEqualTo(sourcesSha256());
    }

    @Test
    void ptxDefinesEveryKernelTheJavaSideLaunches() {
        String ptx = new String(Cuda.ptx(), StandardCharsets.US_ASCII);
        for (String k : Cuda.KERNELS) assertThat(ptx).contains(".visible .entry " + k + "(");
        assertThat(ptx).contains(".target sm_80"); // compute_80 PTX: JIT-compiled on Ampere and newer
        assertThat(Cuda.ptx()[Cuda.ptx().length - 1]).isZero(); // cuModuleLoadData wants a C string
    }

    @Test
    void hashFollowsTheScriptsRule() throws NoSuchAlgorithmException {
        // The rule of scripts/build-ptx.sh: for each file, its name, a newline, its bytes. Checked
        // against `printf 'a.cu\nxy' | sha256sum`.
        assertThat(sha256("a.cu\nxy".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("88e2ef86d02d645c0023387e94c811cd3577af5967a6e781fd9970584d85bfcb");
    }

    /** The script's hash over {@code *.cu} in C-locale (byte) name order. */
    static String sourcesSha256() throws IOException, NoSuchAlgorithmException {
        List<Path> files;
        try (Stream<Path> s = Files.list(SOURCES)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".cu"))
                    .sorted((x, y) -> compareBytes(x.getFileName().toString(), y.getFileName().toString())).toList();
        }
        assertThat(files).isNotEmpty();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path f : files) {
            all.writeBytes((f.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
            all.writeBytes(Files.readAllBytes(f));
        }
        return sha256(all.toByteArray());
    }

    private static int compareBytes(String x, String y) {
        return java.util.Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
