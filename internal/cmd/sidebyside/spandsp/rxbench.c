/*
 * rxbench times spandsp's DTMF receiver, dtmf_rx with its default
 * settings, on a file of 16-bit signed little-endian mono PCM at 8000 Hz:
 * it reads the whole file into memory, feeds it to dtmf_rx in chunks of
 * 160 samples (20 ms, as dtmfkit's driver does), PASSES times with a
 * fresh receiver each time, and prints
 *
 *     N samples, P passes, K keys, X ns/sample
 *
 * where X is the process's CPU time (user and system) spent in the decode
 * loops over the samples decoded, and K the keys of the last pass. It is
 * the spandsp side of dtmfkit's side-by-side measurement
 * (internal/cmd/sidebyside); build.sh builds it.
 *
 * PASSES 0 only reads the file: the baseline of an instruction count
 * (valgrind --tool=callgrind), as for dtmfkit's driver -decode=false.
 *
 *     rxbench FILE [PASSES]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <spandsp.h>

enum { CHUNK = 160 };

static long keys;

static void on_digits(void *user, const char *digits, int len)
{
    (void) user;
    (void) digits;
    keys += len;
}

/* cpu returns the process's user and system CPU time in seconds. */
static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: rxbench FILE [PASSES]  (16-bit little-endian mono PCM at 8000 Hz)\n");
        return 2;
    }
    int passes = argc == 3 ? atoi(argv[2]) : 1;
    if (passes < 0 || (passes == 0 && strcmp(argv[2], "0") != 0)) {
        fprintf(stderr, "rxbench: passes %s is not a number\n", argv[2]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        fprintf(stderr, "rxbench: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        fprintf(stderr, "rxbench: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    long size = ftell(f);
    if (size < 0 || size % 2 != 0) {
        fprintf(stderr, "rxbench: %s: %ld bytes is not 16-bit PCM\n", argv[1], size);
        return 1;
    }
    rewind(f);
    long n = size / 2;
    unsigned char *raw = malloc(size > 0 ? (size_t) size : 1);
    int16_t *x = malloc(n > 0 ? (size_t) n * sizeof *x : 1);
    if (raw == NULL || x == NULL) {
        fprintf(stderr, "rxbench: out of memory\n");
        return 1;
    }
    if (fread(raw, 1, (size_t) size, f) != (size_t) size) {
        fprintf(stderr, "rxbench: reading %s: %s\n", argv[1], ferror(f) ? strerror(errno) : "short read");
        return 1;
    }
    fclose(f);
    for (long i = 0; i < n; i++)
        x[i] = (int16_t) (uint16_t) (raw[2 * i] | (raw[2 * i + 1] << 8));
    free(raw);

    double used = 0;
    long decoded = 0;
    for (int p = 0; p < passes; p++) {
        dtmf_rx_state_t *rx = dtmf_rx_init(NULL, on_digits, NULL);
        if (rx == NULL) {
            fprintf(stderr, "rxbench: dtmf_rx_init failed\n");
            return 1;
        }
        keys = 0;
        double t0 = cpu();
        long i = 0;
        for (; i + CHUNK <= n; i += CHUNK)
            dtmf_rx(rx, x + i, CHUNK);
        used += cpu() - t0;
        decoded += i;
        dtmf_rx_free(rx);
    }
    printf("%ld samples, %d passes, %ld keys, %.3f ns/sample\n", n, passes, keys, decoded > 0 ? used / decoded * 1e9 : 0.0);
    free(x);
    return 0;
}
