/**
 * Optional GPU backend: JCuda's driver API ({@code jcuda.driver}) running PTX kernels of our own
 * ({@code src/main/cuda/*.cu}, compiled by {@code scripts/build-ptx.sh} into the resource
 * {@code latte/cuda/kernels.ptx}). cuBLAS is deliberately not used: JCuda's cuBLAS 12 bindings do
 * not load against a CUDA 13 driver, while the driver API needs only {@code libcuda.so.1}.
 *
 * <p>{@link latte.cuda.Cuda#probe()} decides once whether a GPU is usable; {@link latte.cuda.CudaBackend}
 * plugs the GPU into {@link latte.core.Backends}; {@link latte.cuda.DeviceBuffer} and
 * {@link latte.cuda.CudaOps} keep data on the device between kernels; {@link latte.cuda.GpuCheck}
 * is the parity-and-speed check to run on a GPU machine.
 */
package latte.cuda;
