#ifndef MNIST_CPNG_SHIM_H
#define MNIST_CPNG_SHIM_H

// libpng reports errors by longjmp-ing out of the failing call, which Swift
// cannot survive (no setjmp, and a longjmp across Swift frames skips their
// cleanup). So every libpng call lives in the static inline functions below:
// each does its own setjmp in C, installs error and warning callbacks that
// record the message, and returns a plain status code that Swift turns into a
// thrown error.

#include <png.h>
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    CPNG_OK = 0,
    /// fopen failed; `os_errno` says why.
    CPNG_CANNOT_OPEN = 1,
    /// libpng rejected the data; `message` is libpng's text.
    CPNG_MALFORMED = 2,
    /// The header declares more than `max_dimension` pixels in a direction.
    CPNG_TOO_LARGE = 3,
    /// The first 8 bytes are not the PNG signature (`found` holds how many were read).
    CPNG_NOT_PNG = 4,
    /// malloc failed.
    CPNG_NO_MEMORY = 5,
    /// Writing or closing the output file failed; `os_errno` says why.
    CPNG_WRITE_FAILED = 6,
};

typedef struct {
    char message[256];
    int warnings;
    int os_errno;
    /// Bytes of signature read (for CPNG_NOT_PNG).
    int found;
} cpng_status;

/// An 8-bit grey image composited on white; `pixels` is malloc'd, free it with `cpng_free`.
typedef struct {
    uint32_t width, height;
    unsigned char *pixels;
    /// What the file held, for messages and tests.
    int color_type, bit_depth, interlaced;
} cpng_grey_image;

static void cpng_on_error(png_structp png, png_const_charp message) {
    cpng_status *status = (cpng_status *)png_get_error_ptr(png);
    if (status) {
        strncpy(status->message, message, sizeof status->message - 1);
        status->message[sizeof status->message - 1] = 0;
    }
    png_longjmp(png, 1);
}

static void cpng_on_warning(png_structp png, png_const_charp message) {
    (void)message;
    cpng_status *status = (cpng_status *)png_get_error_ptr(png);
    if (status) status->warnings += 1;
}

static inline void cpng_free(void *pointer) { free(pointer); }

/// Reads any PNG (grey, grey+alpha, RGB, RGBA, palette; 1-16 bits; interlaced
/// or not) as 8-bit grey: palette and low bit depths are expanded, 16 bits
/// stripped to 8, colour converted with libpng's Rec. 709 weights, and alpha
/// (including tRNS) composited on white paper. A header wider or taller than
/// `max_dimension` is refused before any pixel memory is allocated.
static inline int cpng_read_grey(const char *path, uint32_t max_dimension, cpng_grey_image *out, cpng_status *status) {
    memset(out, 0, sizeof *out);
    memset(status, 0, sizeof *status);
    FILE *file = fopen(path, "rb");
    if (!file) { status->os_errno = errno; return CPNG_CANNOT_OPEN; }
    unsigned char signature[8];
    size_t got = fread(signature, 1, 8, file);
    if (got < 8 || png_sig_cmp(signature, 0, 8) != 0) {
        status->os_errno = ferror(file) ? errno : 0;
        status->found = (int)got;
        fclose(file);
        return CPNG_NOT_PNG;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, status, cpng_on_error, cpng_on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) { png_destroy_read_struct(&png, &info, NULL); fclose(file); return CPNG_NO_MEMORY; }
    // Locals changed after setjmp must be volatile to survive the longjmp.
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    volatile int result = CPNG_MALFORMED;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(file);
        free(pixels);
        free(rows);
        return result;
    }
    png_init_io(png, file);
    png_set_sig_bytes(png, 8);
    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    out->width = width; out->height = height;
    out->color_type = color_type; out->bit_depth = bit_depth; out->interlaced = interlace != PNG_INTERLACE_NONE;
    if (width > max_dimension || height > max_dimension) {
        result = CPNG_TOO_LARGE;
        png_longjmp(png, 1);
    }
    png_set_expand(png);
    png_set_strip_16(png);
    if (color_type & PNG_COLOR_MASK_COLOR) png_set_rgb_to_gray_fixed(png, 1, -1, -1);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t channels = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if ((channels != 1 && channels != 2) || rowbytes != (size_t)width * channels) {
        snprintf(status->message, sizeof status->message, "unexpected layout after conversion (%zu channels)", channels);
        png_longjmp(png, 1);
    }
    pixels = malloc(rowbytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (!pixels || !rows) { result = CPNG_NO_MEMORY; png_longjmp(png, 1); }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    if (channels == 2) {
        // Grey + alpha: composite on white, in place (the grey result is shorter).
        size_t count = (size_t)width * height;
        for (size_t i = 0; i < count; i++) {
            unsigned grey = pixels[2 * i], alpha = pixels[2 * i + 1];
            pixels[i] = (unsigned char)((grey * alpha + 255u * (255u - alpha) + 127u) / 255u);
        }
    }
    out->pixels = pixels;
    pixels = NULL;
    png_destroy_read_struct(&png, &info, NULL);
    fclose(file);
    free(rows);
    return CPNG_OK;
}

/// Writes `height` rows of packed PNG samples (16-bit samples big-endian, as
/// PNG stores them). `palette` holds `palette_count` RGB triples for
/// PNG_COLOR_TYPE_PALETTE and is ignored otherwise. Deflate at level 9.
static inline int cpng_write(const char *path, uint32_t width, uint32_t height, int bit_depth, int color_type,
                             int interlaced, const unsigned char *data, const unsigned char *palette,
                             int palette_count, cpng_status *status) {
    memset(status, 0, sizeof *status);
    FILE *file = fopen(path, "wb");
    if (!file) { status->os_errno = errno; return CPNG_CANNOT_OPEN; }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, status, cpng_on_error, cpng_on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) { png_destroy_write_struct(&png, &info); fclose(file); return CPNG_NO_MEMORY; }
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(file);
        free(rows);
        return CPNG_MALFORMED;
    }
    png_init_io(png, file);
    png_set_compression_level(png, 9);
    png_set_IHDR(png, info, width, height, bit_depth, color_type,
                 interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_PLTE(png, info, (png_const_colorp)palette, palette_count);
    png_write_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    rows = malloc(sizeof(png_bytep) * (height ? height : 1));
    if (!rows) png_error(png, "out of memory");
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)data + y * rowbytes;
    png_set_interlace_handling(png);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    int failed = ferror(file);
    int saved = errno;
    if (fclose(file) != 0 || failed) { status->os_errno = failed ? saved : errno; return CPNG_WRITE_FAILED; }
    return CPNG_OK;
}

/// Bytes per row libpng expects from `cpng_write` for this layout.
static inline size_t cpng_row_bytes(uint32_t width, int bit_depth, int color_type) {
    int channels = color_type == PNG_COLOR_TYPE_RGB ? 3 : color_type == PNG_COLOR_TYPE_RGB_ALPHA ? 4
        : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
    return ((size_t)width * channels * bit_depth + 7) / 8;
}

#endif
