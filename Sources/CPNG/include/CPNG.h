#ifndef MNIST_CPNG_H
#define MNIST_CPNG_H

// PNG reading and writing through libpng.
//
// libpng reports errors by longjmp-ing out of the failing call, which Swift
// cannot survive (no setjmp, and a longjmp across Swift frames skips their
// cleanup). So every libpng call lives in CPNG.c, whose functions do their own
// setjmp, record libpng's message, and return one of the status codes below.
// What to make of the pixels (composite alpha on white paper) is decided in
// Swift (PNGFile.swift).

#include <stddef.h>
#include <stdint.h>

enum {
    CPNG_OK = 0,
    /// fopen failed; `os_errno` says why.
    CPNG_CANNOT_OPEN = 1,
    /// libpng rejected the data; `message` is libpng's text.
    CPNG_MALFORMED = 2,
    /// The header declares more than `max_dimension` pixels in a direction.
    CPNG_TOO_LARGE = 3,
    /// malloc failed.
    CPNG_NO_MEMORY = 4,
    /// Writing or closing the output file failed; `os_errno` says why.
    CPNG_WRITE_FAILED = 5,
};

typedef struct {
    char message[256];
    int warnings;
    int os_errno;
} cpng_status;

/// 8-bit grey samples, with an alpha sample after each when `channels` is 2;
/// `pixels` is malloc'd, free it with `cpng_free`.
typedef struct {
    uint32_t width, height;
    int channels;
    unsigned char *pixels;
    /// What the file held, for messages and tests.
    int color_type, bit_depth, interlaced;
} cpng_grey_image;

/// Reads a PNG whose 8-byte signature the caller has already checked (any
/// colour type, 1 to 16 bits, interlaced or not) as 8-bit grey, with its
/// alpha (tRNS included) kept as a second channel: palette and low bit depths
/// expanded, 16 bits stripped to 8, colour converted with libpng's Rec. 709
/// weights. A header wider or taller than `max_dimension` is refused before
/// any pixel memory is allocated.
int cpng_read_grey(const char *path, uint32_t max_dimension, cpng_grey_image *out, cpng_status *status);

/// Writes `height` rows of packed PNG samples (16-bit samples big-endian, as
/// PNG stores them). `palette` holds `palette_count` RGB triples for a palette
/// image (colour type 3) and is ignored otherwise. Deflate at level 9.
int cpng_write(const char *path, uint32_t width, uint32_t height, int bit_depth, int color_type, int interlaced,
               const unsigned char *data, const unsigned char *palette, int palette_count, cpng_status *status);

/// Bytes per row `cpng_write` expects for this layout.
size_t cpng_row_bytes(uint32_t width, int bit_depth, int color_type);

/// `free`, for `cpng_grey_image.pixels`.
void cpng_free(void *pointer);

#endif
