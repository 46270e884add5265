#ifndef MNIST_CSHIPPEDMODEL_H
#define MNIST_CSHIPPEDMODEL_H

#include <stddef.h>

/// The shipped weights, `Data/mnist-784-100-10.safetensors`, compiled into the
/// binary, so that the tools and the library need no file at run time and
/// work from any directory.
const unsigned char *cshippedmodel_bytes(void);

/// The size of `cshippedmodel_bytes()` in bytes.
size_t cshippedmodel_count(void);

#endif
