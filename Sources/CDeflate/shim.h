#ifndef MNIST_CDEFLATE_SHIM_H
#define MNIST_CDEFLATE_SHIM_H

// libdeflate, for its CRC-32 only: gzip streams are inflated by zlib.
#include <libdeflate.h>

#endif
