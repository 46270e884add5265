#ifndef MNIST_CJPEG_H
#define MNIST_CJPEG_H

// JPEG decoding (and, for tests, encoding) through libjpeg(-turbo).
//
// libjpeg reports errors by calling `error_exit`, which by default prints and
// calls exit(); the usual replacement longjmps back to a setjmp in the
// caller, which Swift can neither do nor survive (a longjmp across Swift
// frames skips their cleanup). So every libjpeg call lives in CJPEG.c, whose
// functions do their own setjmp and return one of the status codes below.

#include <stddef.h>
#include <stdint.h>

enum {
    CJPEG_OK = 0,
    /// libjpeg refused the data; `message` is its text.
    CJPEG_MALFORMED = 1,
    /// The data ends before the image does.
    CJPEG_TRUNCATED = 2,
    /// libjpeg found the compressed data damaged (a bad Huffman code, a
    /// marker inside a scan, a lost restart marker) and would go on with
    /// made-up pixels; `message` is its warning. Not every damage is found:
    /// libjpeg-turbo's fast Huffman path, taken while more than 512 bytes of
    /// data remain, decodes a bad code as 0 without a warning.
    CJPEG_CORRUPT_DATA = 3,
    /// The header declares more than `max_dimension` pixels in a direction;
    /// `width` and `height` hold what it declares.
    CJPEG_TOO_LARGE = 4,
    /// The header declares a zero width or height.
    CJPEG_ZERO_SIZE = 5,
    /// A colour space with no grey conversion (2 components, say); `message` says which.
    CJPEG_UNSUPPORTED = 6,
    /// malloc failed, or libjpeg's buffers would pass `CJPEG_MEMORY_LIMIT`.
    CJPEG_NO_MEMORY = 7,
    /// More scans than `scan_limit`: each scan of a progressive JPEG goes over
    /// the whole image again, so a small file of many scans could take minutes.
    CJPEG_TOO_MANY_SCANS = 8,
};

/// libjpeg's own buffers (a progressive image's coefficients, above all) may
/// take at most this many bytes: enough for the largest picture read, an
/// 8192×8192 four-component progressive JPEG (512 MiB of coefficients).
#define CJPEG_MEMORY_LIMIT (600L * 1024 * 1024)

typedef struct {
    /// libjpeg's message (JMSG_LENGTH_MAX bytes), or one of this file's.
    char message[200];
    /// How many bytes of the data libjpeg had taken in when it stopped: the
    /// data's size when it ends early; inside a scan, where the Huffman
    /// decoder records its position once per block, up to a block's bytes
    /// before the fault.
    size_t offset;
    /// The header's width and height, once read (0 before).
    uint32_t width, height;
    /// The scan libjpeg was reading when it stopped (1 for the first).
    int scan;
} cjpeg_status;

/// An 8-bit grey image; free it with `cjpeg_free_image`.
typedef struct {
    uint32_t width, height;
    /// `[height, width]`, 0 black, 255 white.
    unsigned char *pixels;
    /// The first APP1 segment's data when it starts with "Exif\0\0" (the
    /// identifier included), else NULL; for the orientation tag.
    unsigned char *exif;
    size_t exif_length;
    /// What the file holds, for tests: components and libjpeg's J_COLOR_SPACE.
    int components, color_space, progressive;
} cjpeg_grey_image;

/// Decodes a whole JPEG held in memory to 8-bit grey.
///
/// Grey JPEGs are read as they are. YCbCr and RGB ones are decoded to RGB and
/// turned grey row by row with Rec. 709 weights, as libpng does for a colour
/// PNG and `PNMReader` for a PPM, so a picture gives the same grey levels in
/// any of the three formats. CMYK and YCCK ones are turned into RGB first;
/// their values are taken as inverted when an Adobe APP14 marker is present,
/// as Photoshop writes them.
///
/// The header is read first, and a width or height above `max_dimension` is
/// refused before any pixel memory is allocated. libjpeg's warnings are never
/// printed; those that mean damaged image data (see `CJPEG_CORRUPT_DATA` and
/// `CJPEG_TRUNCATED`) stop the decoding. Whatever follows the last row of the
/// image (the EOI marker, trailing bytes) is not read.
int cjpeg_read_grey(const unsigned char *data, size_t size, uint32_t max_dimension, int scan_limit,
                    cjpeg_grey_image *out, cjpeg_status *status);

/// Frees what `cjpeg_read_grey` allocated and zeroes the pointers.
void cjpeg_free_image(cjpeg_grey_image *image);

enum {
    /// Encode as a progressive JPEG (SOF2) with libjpeg's default scan script.
    CJPEG_WRITE_PROGRESSIVE = 1,
    /// Use arithmetic coding instead of Huffman coding (SOF9/SOF10).
    CJPEG_WRITE_ARITHMETIC = 2,
};

/// Encodes `height` rows of `width` pixels of `components` bytes each: 1 grey,
/// 3 RGB (stored as YCbCr, 4:2:0), 4 CMYK (stored as CMYK, with the Adobe
/// marker libjpeg writes for it). `*out` is malloc'd: free it with `cjpeg_free`.
/// Made for tests, which build their JPEG fixtures with it.
int cjpeg_write(const unsigned char *pixels, uint32_t width, uint32_t height, int components, int quality,
                int flags, unsigned char **out, size_t *out_size, cjpeg_status *status);

void cjpeg_free(void *pointer);

#endif
