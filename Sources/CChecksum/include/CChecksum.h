#ifndef MNIST_CCHECKSUM_H
#define MNIST_CCHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/// The gzip CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) of `length`
/// bytes, continuing from `crc` (0 to start), as zlib's `crc32` computes it.
///
/// On an x86-64 CPU with PCLMULQDQ and SSE4.1 (every x86-64 CPU since 2010)
/// whole 16-byte blocks are folded with carry-less multiplication; the rest,
/// and every CPU without them, goes through zlib's `crc32_z`. The choice is
/// made once, at the first call, from the CPU's own feature bits, so the code
/// needs no compiler flag and a dependent's build gets the fast path too.
uint32_t cchecksum_crc32(uint32_t crc, const void *bytes, size_t length);

/// zlib's table-driven `crc32_z` alone: the reference the tests compare against.
uint32_t cchecksum_crc32_portable(uint32_t crc, const void *bytes, size_t length);

/// 1 when `cchecksum_crc32` uses the carry-less multiply path on this CPU.
int cchecksum_crc32_is_accelerated(void);

#endif
