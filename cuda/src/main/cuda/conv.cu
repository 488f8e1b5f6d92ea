// im2col / col2im for NHWC convolutions, the semantics of latte.core.kernels.Conv2d:
//   col[(n*OH + oy)*OW + ox][(ky*KW + kx)*C + ci] = x[n, oy*sh - ph + ky, ox*sw - pw + kx, ci]
// (zero outside the image), and col2im its adjoint: dx[n, iy, ix, ci] += every col entry that
// im2col copied from there. col2im gathers (one thread per dx element, summing over the window
// positions that reach it) instead of scattering, so it needs no atomics and is deterministic.
// A conv-transpose uses the same two kernels with the geometry of the convolution it is the
// adjoint of. Grid-stride loops with 64-bit indices: col can exceed 2^31 floats.

extern "C" __global__ void im2col_nhwc(const float* __restrict__ x, float* __restrict__ col, int N, int H,
                                       int W, int C, int OH, int OW, int KH, int KW, int sh, int sw,
                                       int ph, int pw) {
    const long long K = (long long)KH * KW * C;
    const long long total = (long long)N * OH * OW * K;
    for (long long idx = blockIdx.x * (long long)blockDim.x + threadIdx.x; idx < total;
         idx += (long long)gridDim.x * blockDim.x) {
        const long long r = idx / K;
        const int q = (int)(idx - r * K);
        const int ci = q % C, kx = (q / C) % KW, ky = q / (C * KW);
        const int ox = (int)(r % OW), oy = (int)((r / OW) % OH), n = (int)(r / ((long long)OW * OH));
        const int iy = oy * sh - ph + ky, ix = ox * sw - pw + kx;
        float v = 0.f;
        if (iy >= 0 && iy < H && ix >= 0 && ix < W) v = x[(((long long)n * H + iy) * W + ix) * C + ci];
        col[idx] = v;
    }
}

extern "C" __global__ void col2im_nhwc(const float* __restrict__ col, float* __restrict__ dx, int N, int H,
                                       int W, int C, int OH, int OW, int KH, int KW, int sh, int sw,
                                       int ph, int pw) {
    const long long K = (long long)KH * KW * C;
    const long long total = (long long)N * H * W * C;
    for (long long idx = blockIdx.x * (long long)blockDim.x + threadIdx.x; idx < total;
         idx += (long long)gridDim.x * blockDim.x) {
        const int ci = (int)(idx % C);
        const int ix = (int)((idx / C) % W), iy = (int)((idx / ((long long)C * W)) % H);
        const int n = (int)(idx / ((long long)C * W * H));
        float acc = 0.f;
        // iy = oy*sh - ph + ky  =>  ky = iy + ph - oy*sh must lie in [0, KH).
        for (int ky = (iy + ph) % sh; ky < KH; ky += sh) {
            const int oy = (iy + ph - ky) / sh;
            if (oy < 0 || oy >= OH) continue;
            for (int kx = (ix + pw) % sw; kx < KW; kx += sw) {
                const int ox = (ix + pw - kx) / sw;
                if (ox < 0 || ox >= OW) continue;
                acc += col[(((long long)n * OH + oy) * OW + ox) * K + ((long long)ky * KW + kx) * C + ci];
            }
        }
        dx[idx] += acc;
    }
}

// y[r, c] = b[c] for r < rows: a bias broadcast before a GEMM accumulates into y.
extern "C" __global__ void fill_rows(float* __restrict__ y, const float* __restrict__ b, long long rows, int cols) {
    const long long total = rows * cols;
    for (long long idx = blockIdx.x * (long long)blockDim.x + threadIdx.x; idx < total;
         idx += (long long)gridDim.x * blockDim.x)
        y[idx] = b[idx % cols];
}

// out[c] (+)= sum over r of y[r, c]: the bias gradient. One thread per column, rows in order.
extern "C" __global__ void sum_rows(const float* __restrict__ y, float* __restrict__ out, long long rows,
                                    int cols, int accumulate) {
    const int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= cols) return;
    float acc = 0.f;
    for (long long r = 0; r < rows; r++) acc += y[r * cols + c];
    out[c] = accumulate ? out[c] + acc : acc;
}
