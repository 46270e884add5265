#ifndef MNIST_CZLIB_SHIM_H
#define MNIST_CZLIB_SHIM_H

#include <zlib.h>

/// `inflateInit2` is a macro that passes the library version and the stream
/// size; Swift cannot import macros with arguments, so wrap it.
static inline int czlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

/// Same for `deflateInit2` (used by tests and tools that write gzip files).
static inline int czlib_deflateInit2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif
