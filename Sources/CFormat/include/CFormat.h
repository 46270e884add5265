#ifndef MNIST_CFORMAT_H
#define MNIST_CFORMAT_H

#include <stddef.h>

/// `snprintf(buffer, capacity, "%.*f", decimals, value)`: fixed-point text,
/// correctly rounded, in the C locale. Swift cannot call C's variadic
/// functions, and its `withVaList` route looks up protocol conformances at
/// run time (measured: a third of the text report's cost in a short run).
/// Returns the length the full text needs, as `snprintf` does.
int cformat_fixed(char *buffer, size_t capacity, int decimals, double value);

#endif
