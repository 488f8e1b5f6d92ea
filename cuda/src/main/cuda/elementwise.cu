// Elementwise ops and a sum reduction over n floats, grid-stride loops with 64-bit indices.
// The math follows latte.core.kernels.Elementwise.Scalar: out may alias an input.

#define GRID_STRIDE(i, n) \
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); i += (long long)gridDim.x * blockDim.x)

extern "C" __global__ void ew_add(const float* a, const float* b, float* out, long long n) {
    GRID_STRIDE(i, n) out[i] = a[i] + b[i];
}

extern "C" __global__ void ew_mul(const float* a, const float* b, float* out, long long n) {
    GRID_STRIDE(i, n) out[i] = a[i] * b[i];
}

// y += alpha * x
extern "C" __global__ void ew_axpy(float alpha, const float* x, float* y, long long n) {
    GRID_STRIDE(i, n) y[i] = fmaf(alpha, x[i], y[i]);
}

extern "C" __global__ void ew_relu(const float* a, float* out, long long n) {
    GRID_STRIDE(i, n) out[i] = a[i] > 0.f ? a[i] : 0.f;
}

extern "C" __global__ void ew_tanh(const float* a, float* out, long long n) {
    GRID_STRIDE(i, n) out[i] = tanhf(a[i]);
}

// 1 / (1 + e^-x), written so neither branch overflows.
extern "C" __global__ void ew_sigmoid(const float* a, float* out, long long n) {
    GRID_STRIDE(i, n) {
        const float x = a[i];
        if (x >= 0.f) out[i] = 1.f / (1.f + expf(-x));
        else { const float e = expf(x); out[i] = e / (1.f + e); }
    }
}

extern "C" __global__ void ew_exp(const float* a, float* out, long long n) {
    GRID_STRIDE(i, n) out[i] = expf(a[i]);
}

// Stage of a two-pass sum: block b writes the sum of its grid-stride share to partial[b]
// (256 threads, tree in shared memory). Launched once over the data with G blocks, then once
// with one block over the G partials; the order is fixed by the launch shape, so it is deterministic.
extern "C" __global__ void __launch_bounds__(256) reduce_sum(const float* __restrict__ a, float* __restrict__ partial,
                                                             long long n) {
    __shared__ float s[256];
    float acc = 0.f;
    GRID_STRIDE(i, n) acc += a[i];
    s[threadIdx.x] = acc;
    __syncthreads();
    for (int h = 128; h > 0; h >>= 1) {
        if (threadIdx.x < h) s[threadIdx.x] += s[threadIdx.x + h];
        __syncthreads();
    }
    if (threadIdx.x == 0) partial[blockIdx.x] = s[0];
}
