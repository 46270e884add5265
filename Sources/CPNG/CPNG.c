#include "CPNG.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

// Warnings on for this file (SwiftPM refuses -W flags in a library product's
// targets when another package depends on it by version).
#pragma clang diagnostic warning "-Wall"
#pragma clang diagnostic warning "-Wextra"
#pragma clang diagnostic warning "-Wconversion"

/// The length of the PNG signature, which the caller has checked.
static const int signature_length = 8;

static void on_error(png_structp png, png_const_charp message) {
    cpng_status *status = (cpng_status *)png_get_error_ptr(png);
    if (status) {
        strncpy(status->message, message, sizeof status->message - 1);
        status->message[sizeof status->message - 1] = 0;
    }
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message) {
    (void)message;
    cpng_status *status = (cpng_status *)png_get_error_ptr(png);
    if (status) status->warnings += 1;
}

void cpng_free(void *pointer) { free(pointer); }

int cpng_read_grey(const char *path, uint32_t max_dimension, cpng_grey_image *out, cpng_status *status) {
    memset(out, 0, sizeof *out);
    memset(status, 0, sizeof *status);
    FILE *file = fopen(path, "rb");
    if (!file) { status->os_errno = errno; return CPNG_CANNOT_OPEN; }
    if (fseek(file, signature_length, SEEK_SET) != 0) { status->os_errno = errno; fclose(file); return CPNG_CANNOT_OPEN; }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, status, on_error, on_warning);
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
    png_set_sig_bytes(png, signature_length);
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
    out->channels = (int)channels;
    out->pixels = pixels;
    pixels = NULL;
    png_destroy_read_struct(&png, &info, NULL);
    fclose(file);
    free(rows);
    return CPNG_OK;
}

int cpng_write(const char *path, uint32_t width, uint32_t height, int bit_depth, int color_type, int interlaced,
               const unsigned char *data, const unsigned char *palette, int palette_count, cpng_status *status) {
    memset(status, 0, sizeof *status);
    FILE *file = fopen(path, "wb");
    if (!file) { status->os_errno = errno; return CPNG_CANNOT_OPEN; }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, status, on_error, on_warning);
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

size_t cpng_row_bytes(uint32_t width, int bit_depth, int color_type) {
    size_t channels = color_type == PNG_COLOR_TYPE_RGB ? 3 : color_type == PNG_COLOR_TYPE_RGB_ALPHA ? 4
        : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
    return ((size_t)width * channels * (size_t)bit_depth + 7) / 8;
}
