/* zlib's own inflate of a gzip file held in memory: the reference for
 * mnist-eval's streaming figure (scripts/bench.sh, goal 3).
 *
 *     cc -O2 scripts/zlib_inflate.c -lz -o zlib_inflate && ./zlib_inflate FILE [RUNS]
 *
 * The file is read into memory first, untimed. Each timed run inflates it with
 * zlib's gzip wrapper (windowBits 15 + 16, so zlib also checks the trailer's
 * CRC-32 and length with its own crc32) into one reused 1 MiB buffer, as a
 * streaming reader would, and drops the output. Multi-member files are read
 * to the end. Prints `zlib_inflate_ms median=... min=... runs=N bytes=...`
 * for scripts to parse. (Python's zlib module was tried first: allocating a
 * bytes object per piece added over a second to the 1M file's 784 MB.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: zlib_inflate FILE [RUNS]\n"); return 64; }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (runs < 1) runs = 1;
    FILE *file = fopen(argv[1], "rb");
    if (!file) { perror(argv[1]); return 66; }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    unsigned char *input = malloc((size_t)size);
    if (!input || fread(input, 1, (size_t)size, file) != (size_t)size) { perror(argv[1]); return 66; }
    fclose(file);
    enum { outputSize = 1 << 20 };
    unsigned char *output = malloc(outputSize);
    double *samples = malloc(sizeof(double) * (size_t)runs);
    unsigned long long total = 0;
    for (int run = 0; run < runs; run++) {
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        z_stream stream;
        memset(&stream, 0, sizeof stream);
        if (inflateInit2(&stream, 15 + 16) != Z_OK) return 70;
        stream.next_in = input;
        stream.avail_in = (uInt)size;
        total = 0;
        for (;;) {
            stream.next_out = output;
            stream.avail_out = outputSize;
            int code = inflate(&stream, Z_NO_FLUSH);
            total += outputSize - stream.avail_out;
            if (code == Z_STREAM_END) {
                if (stream.avail_in == 0) break;
                inflateReset(&stream);  /* the next member */
                continue;
            }
            if (code != Z_OK) { fprintf(stderr, "%s: zlib error %d\n", argv[1], code); return 65; }
        }
        inflateEnd(&stream);
        clock_gettime(CLOCK_MONOTONIC, &end);
        samples[run] = (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
    }
    double minimum = samples[0];
    for (int run = 1; run < runs; run++) if (samples[run] < minimum) minimum = samples[run];
    qsort(samples, (size_t)runs, sizeof(double), compare);
    printf("zlib_inflate_ms median=%.1f min=%.1f runs=%d bytes=%llu zlib=%s\n",
           samples[runs / 2], minimum, runs, total, zlibVersion());
    return 0;
}
