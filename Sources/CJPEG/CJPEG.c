#include "CJPEG.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

/// libjpeg's error manager, extended with where to jump and what to report.
struct error_manager {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    cjpeg_status *status;
    /// The CJPEG_ code to return when libjpeg calls `error_exit`.
    int result;
    /// The data being decoded (NULL when encoding), for `status->offset`.
    const unsigned char *data;
    size_t size;
};

/// A progress monitor that stops a file after `scan_limit` scans.
struct progress_monitor {
    struct jpeg_progress_mgr base;
    int scan_limit;
};

/// Records where the decoder stopped: the bytes of `data` libjpeg has taken in
/// (its Huffman decoder moves the position once per block, so inside a scan it
/// can lag the fault by a block's bytes).
static void record_position(j_common_ptr cinfo) {
    struct error_manager *errors = (struct error_manager *)cinfo->err;
    if (!cinfo->is_decompressor || !errors->data) return;
    j_decompress_ptr decoder = (j_decompress_ptr)cinfo;
    struct jpeg_source_mgr *source = decoder->src;
    // After the end of the data jpeg_mem_src points at a fake EOI of its own.
    if (source && source->next_input_byte >= errors->data && source->next_input_byte <= errors->data + errors->size)
        errors->status->offset = (size_t)(source->next_input_byte - errors->data);
    else if (source)
        errors->status->offset = errors->size;
    errors->status->width = decoder->image_width;
    errors->status->height = decoder->image_height;
    errors->status->scan = decoder->input_scan_number;
}

_Noreturn static void stop(j_common_ptr cinfo, int result) {
    struct error_manager *errors = (struct error_manager *)cinfo->err;
    record_position(cinfo);
    if (result == CJPEG_TRUNCATED) errors->status->offset = errors->size;
    (*cinfo->err->format_message)(cinfo, errors->status->message);
    errors->result = result;
    longjmp(errors->jump, 1);
}

/// Replaces libjpeg's `error_exit`, which prints the message and calls exit().
static void on_error(j_common_ptr cinfo) {
    struct error_manager *errors = (struct error_manager *)cinfo->err;
    switch (cinfo->err->msg_code) {
    case JERR_EMPTY_IMAGE:
        // Only a zero size in the frame header; a frame of no components stays malformed.
        if (cinfo->is_decompressor) {
            j_decompress_ptr decoder = (j_decompress_ptr)cinfo;
            if (decoder->image_width == 0 || decoder->image_height == 0) { stop(cinfo, CJPEG_ZERO_SIZE); }
        }
        stop(cinfo, CJPEG_MALFORMED);
    case JERR_IMAGE_TOO_BIG: stop(cinfo, CJPEG_TOO_LARGE);
    case JERR_OUT_OF_MEMORY:
    case JERR_NO_BACKING_STORE: stop(cinfo, CJPEG_NO_MEMORY);
    default: stop(cinfo, errors->result);
    }
}

/// Replaces libjpeg's `emit_message`, which prints the first warning to
/// stderr. Trace messages (level 0 and up) are dropped; warnings are dropped
/// too unless they mean the image data is damaged or cut short, where libjpeg
/// would carry on with grey or repeated blocks: those stop the decoding.
static void on_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    cinfo->err->num_warnings++;
    switch (cinfo->err->msg_code) {
    case JWRN_JPEG_EOF: stop(cinfo, CJPEG_TRUNCATED);
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
    case JWRN_BOGUS_PROGRESSION:
    case JWRN_NOT_SEQUENTIAL: stop(cinfo, CJPEG_CORRUPT_DATA);
    default: return;  // extraneous bytes between segments, an unknown JFIF version, a bad ICC marker
    }
}

/// libjpeg's `output_message` prints to stderr; nothing here ever does.
static void on_output(j_common_ptr cinfo) { (void)cinfo; }

static void on_progress(j_common_ptr cinfo) {
    struct progress_monitor *progress = (struct progress_monitor *)cinfo->progress;
    struct error_manager *errors = (struct error_manager *)cinfo->err;
    if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > progress->scan_limit) {
        record_position(cinfo);
        snprintf(errors->status->message, sizeof errors->status->message,
                 "more than %d scans", progress->scan_limit);
        errors->result = CJPEG_TOO_MANY_SCANS;
        longjmp(errors->jump, 1);
    }
}

static void install_errors(struct error_manager *errors, cjpeg_status *status, const unsigned char *data, size_t size) {
    jpeg_std_error(&errors->base);
    errors->base.error_exit = on_error;
    errors->base.emit_message = on_message;
    errors->base.output_message = on_output;
    errors->status = status;
    errors->result = CJPEG_MALFORMED;
    errors->data = data;
    errors->size = size;
}

/// Rec. 709 luma in libpng's fixed point (png_set_rgb_to_gray's defaults,
/// 6968, 23434 and 2366 out of 32768), rounded.
static inline unsigned char grey_of(unsigned r, unsigned g, unsigned b) {
    return (unsigned char)((6968u * r + 23434u * g + 2366u * b + 16384u) >> 15);
}

void cjpeg_free_image(cjpeg_grey_image *image) {
    free(image->pixels);
    free(image->exif);
    image->pixels = NULL;
    image->exif = NULL;
}

int cjpeg_read_grey(const unsigned char *data, size_t size, uint32_t max_dimension, int scan_limit,
                    cjpeg_grey_image *out, cjpeg_status *status) {
    memset(out, 0, sizeof *out);
    memset(status, 0, sizeof *status);
    struct jpeg_decompress_struct decoder;
    struct error_manager errors;
    struct progress_monitor progress;
    memset(&decoder, 0, sizeof decoder);
    install_errors(&errors, status, data, size);
    decoder.err = &errors.base;
    progress.base.progress_monitor = on_progress;
    progress.scan_limit = scan_limit;
    // Locals changed after setjmp must be volatile to survive the longjmp.
    unsigned char *volatile pixels = NULL;
    unsigned char *volatile row = NULL;
    unsigned char *volatile exif = NULL;
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&decoder);
        free(pixels);
        free(row);
        free(exif);
        return errors.result;
    }
    jpeg_create_decompress(&decoder);
    decoder.mem->max_memory_to_use = CJPEG_MEMORY_LIMIT;
    decoder.progress = &progress.base;
    jpeg_mem_src(&decoder, data, (unsigned long)size);
    jpeg_save_markers(&decoder, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&decoder, TRUE);
    status->width = out->width = decoder.image_width;
    status->height = out->height = decoder.image_height;
    out->components = decoder.num_components;
    out->color_space = decoder.jpeg_color_space;
    out->progressive = decoder.progressive_mode;
    if (decoder.image_width > max_dimension || decoder.image_height > max_dimension) {
        errors.result = CJPEG_TOO_LARGE;
        longjmp(errors.jump, 1);
    }
    switch (decoder.jpeg_color_space) {
    case JCS_GRAYSCALE: decoder.out_color_space = JCS_GRAYSCALE; break;
    case JCS_YCbCr:
    case JCS_RGB: decoder.out_color_space = JCS_RGB; break;
    case JCS_CMYK:
    case JCS_YCCK: decoder.out_color_space = JCS_CMYK; break;
    default:
        snprintf(status->message, sizeof status->message,
                 "unsupported colour space: %d components, neither grey, YCbCr, RGB nor CMYK", decoder.num_components);
        errors.result = CJPEG_UNSUPPORTED;
        longjmp(errors.jump, 1);
    }
    for (jpeg_saved_marker_ptr marker = decoder.marker_list; marker; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1 || marker->data_length < 6 || memcmp(marker->data, "Exif\0\0", 6) != 0)
            continue;
        exif = malloc(marker->data_length);
        if (!exif) { errors.result = CJPEG_NO_MEMORY; longjmp(errors.jump, 1); }
        memcpy(exif, marker->data, marker->data_length);
        out->exif_length = marker->data_length;
        break;
    }
    int inverted_cmyk = decoder.saw_Adobe_marker;
    jpeg_start_decompress(&decoder);
    size_t width = decoder.output_width, height = decoder.output_height;
    int channels = decoder.output_components;
    if (width != decoder.image_width || height != decoder.image_height || (channels != 1 && channels != 3 && channels != 4)) {
        snprintf(status->message, sizeof status->message, "unexpected output layout: %zu×%zu, %d channels",
                 width, height, channels);
        longjmp(errors.jump, 1);
    }
    pixels = malloc(width * height);
    row = malloc(width * (size_t)channels);
    if (!pixels || !row) { errors.result = CJPEG_NO_MEMORY; longjmp(errors.jump, 1); }
    while (decoder.output_scanline < height) {
        unsigned char *target = pixels + (size_t)decoder.output_scanline * width;
        JSAMPROW rows[1] = { channels == 1 ? target : row };
        if (jpeg_read_scanlines(&decoder, rows, 1) != 1) {
            // Only a suspending data source returns no row; the memory source never suspends.
            record_position((j_common_ptr)&decoder);
            snprintf(status->message, sizeof status->message, "libjpeg returned no row");
            longjmp(errors.jump, 1);
        }
        if (channels == 3) {
            for (size_t x = 0; x < width; x++) target[x] = grey_of(row[3 * x], row[3 * x + 1], row[3 * x + 2]);
        } else if (channels == 4) {
            for (size_t x = 0; x < width; x++) {
                unsigned c = row[4 * x], m = row[4 * x + 1], y = row[4 * x + 2], k = row[4 * x + 3];
                if (!inverted_cmyk) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
                // With inverted values, 255 is no ink: red = (1 - C)(1 - K) is c·k/255.
                target[x] = grey_of((c * k + 127) / 255, (m * k + 127) / 255, (y * k + 127) / 255);
            }
        }
    }
    // Not jpeg_finish_decompress: every pixel is here, and a missing EOI or
    // bytes after it change none of them.
    jpeg_destroy_decompress(&decoder);
    free(row);
    out->pixels = pixels;
    out->exif = exif;
    return CJPEG_OK;
}

int cjpeg_write(const unsigned char *pixels, uint32_t width, uint32_t height, int components, int quality,
                int flags, unsigned char **out, size_t *out_size, cjpeg_status *status) {
    memset(status, 0, sizeof *status);
    *out = NULL;
    *out_size = 0;
    struct jpeg_compress_struct encoder;
    struct error_manager errors;
    memset(&encoder, 0, sizeof encoder);
    install_errors(&errors, status, NULL, 0);
    encoder.err = &errors.base;
    unsigned char *volatile buffer = NULL;
    unsigned long volatile buffer_size = 0;
    if (setjmp(errors.jump)) {
        jpeg_destroy_compress(&encoder);
        free(buffer);
        return errors.result;
    }
    jpeg_create_compress(&encoder);
    jpeg_mem_dest(&encoder, (unsigned char **)&buffer, (unsigned long *)&buffer_size);
    encoder.image_width = width;
    encoder.image_height = height;
    encoder.input_components = components;
    encoder.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&encoder);
    if (components == 4) jpeg_set_colorspace(&encoder, JCS_CMYK);
    jpeg_set_quality(&encoder, quality, TRUE);
    if (flags & CJPEG_WRITE_PROGRESSIVE) jpeg_simple_progression(&encoder);
    if (flags & CJPEG_WRITE_ARITHMETIC) encoder.arith_code = TRUE;
    jpeg_start_compress(&encoder, TRUE);
    while (encoder.next_scanline < height) {
        JSAMPROW rows[1] = { (JSAMPROW)(pixels + (size_t)encoder.next_scanline * width * (size_t)components) };
        jpeg_write_scanlines(&encoder, rows, 1);
    }
    jpeg_finish_compress(&encoder);
    jpeg_destroy_compress(&encoder);
    *out = buffer;
    *out_size = buffer_size;
    return CJPEG_OK;
}

void cjpeg_free(void *pointer) { free(pointer); }
