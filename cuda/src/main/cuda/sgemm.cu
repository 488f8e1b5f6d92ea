// SGEMM, row-major: C = alpha * op(A) * op(B) + beta * C, the contract of latte.core.kernels.Gemm.sgemm.
//
// One block of 256 threads computes a BM x BN = 128 x 128 tile of C; each thread keeps an 8 x 8
// register block (rows ty*4 + {0..3} and 64 + ty*4 + {0..3}, columns likewise with tx), so the
// shared-memory reads are float4 and conflict-free. The K loop stages BK = 8 columns of op(A) and
// rows of op(B) in shared memory, k-major, padded by 4 floats so the transposing stores of A do
// not collide on a bank. Out-of-range elements load as zero and are never stored, so any m, n, k
// and any leading dimension work (edge tiles included). blockIdx.z walks a batch with element
// strides; a stride of 0 reuses one matrix. __launch_bounds__(256, 2) caps registers at 128 so two
// blocks share an SM (ptxas -arch=sm_90 -v: NN/TN/TT fit in 127 registers, NT spills 56 bytes).
//
// op(A)[i][k] = TA ? A[k*lda + i] : A[i*lda + k];  op(B)[k][j] = TB ? B[j*ldb + k] : B[k*ldb + j].

#define BM 128
#define BN 128
#define BK 8
#define PAD 4

template <bool TA, bool TB>
__device__ __forceinline__ void sgemm_tile(int M, int N, int K, float alpha,
                                           const float* __restrict__ A, int lda, long long strideA,
                                           const float* __restrict__ B, int ldb, long long strideB,
                                           float beta, float* __restrict__ C, int ldc, long long strideC) {
    __shared__ __align__(16) float As[BK][BM + PAD];
    __shared__ __align__(16) float Bs[BK][BN + PAD];
    A += strideA * blockIdx.z;
    B += strideB * blockIdx.z;
    C += strideC * blockIdx.z;
    const int tid = threadIdx.x;
    const int tx = tid % 16, ty = tid / 16;
    const int bm = blockIdx.y * BM, bn = blockIdx.x * BN;

    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; i++)
#pragma unroll
        for (int j = 0; j < 8; j++) acc[i][j] = 0.f;

    for (int k0 = 0; k0 < K; k0 += BK) {
        // Stage op(A)[bm.., k0..] (128 x 8): consecutive threads read consecutive addresses of A.
#pragma unroll
        for (int l = 0; l < 4; l++) {
            const int e = tid + l * 256;
            const int i = TA ? e % BM : e / BK;
            const int kk = TA ? e / BM : e % BK;
            const int gi = bm + i, gk = k0 + kk;
            float v = 0.f;
            if (gi < M && gk < K) v = TA ? A[(long long)gk * lda + gi] : A[(long long)gi * lda + gk];
            As[kk][i] = v;
        }
        // Stage op(B)[k0.., bn..] (8 x 128).
#pragma unroll
        for (int l = 0; l < 4; l++) {
            const int e = tid + l * 256;
            const int j = TB ? e / BK : e % BN;
            const int kk = TB ? e % BK : e / BN;
            const int gj = bn + j, gk = k0 + kk;
            float v = 0.f;
            if (gj < N && gk < K) v = TB ? B[(long long)gj * ldb + gk] : B[(long long)gk * ldb + gj];
            Bs[kk][j] = v;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < BK; kk++) {
            const float4 a0 = *reinterpret_cast<const float4*>(&As[kk][ty * 4]);
            const float4 a1 = *reinterpret_cast<const float4*>(&As[kk][64 + ty * 4]);
            const float4 b0 = *reinterpret_cast<const float4*>(&Bs[kk][tx * 4]);
            const float4 b1 = *reinterpret_cast<const float4*>(&Bs[kk][64 + tx * 4]);
            const float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            const float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
            for (int i = 0; i < 8; i++)
#pragma unroll
                for (int j = 0; j < 8; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 8; i++) {
        const int row = bm + (i < 4 ? ty * 4 + i : 64 + ty * 4 + (i - 4));
        if (row >= M) continue;
#pragma unroll
        for (int j = 0; j < 8; j++) {
            const int col = bn + (j < 4 ? tx * 4 + j : 64 + tx * 4 + (j - 4));
            if (col >= N) continue;
            float* c = &C[(long long)row * ldc + col];
            // beta == 0 overwrites without reading, so C may hold NaN garbage (BLAS convention).
            *c = beta == 0.f ? alpha * acc[i][j] : fmaf(alpha, acc[i][j], beta * *c);
        }
    }
}

#define SGEMM_ENTRY(NAME, TA, TB)                                                                       \
    extern "C" __global__ void __launch_bounds__(256, 2) NAME(                                            \
        int M, int N, int K, float alpha, const float* A, int lda, long long strideA, const float* B,  \
        int ldb, long long strideB, float beta, float* C, int ldc, long long strideC) {                \
        sgemm_tile<TA, TB>(M, N, K, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC);  \
    }

SGEMM_ENTRY(sgemm_nn, false, false)
SGEMM_ENTRY(sgemm_nt, false, true)
SGEMM_ENTRY(sgemm_tn, true, false)
SGEMM_ENTRY(sgemm_tt, true, true)
