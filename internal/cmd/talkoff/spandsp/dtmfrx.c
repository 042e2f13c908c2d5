/*
 * dtmfrx runs spandsp's DTMF receiver, dtmf_rx with its default settings,
 * over 16-bit signed little-endian mono PCM at 8000 Hz read from FILE or,
 * without one, from standard input, and prints one line per key:
 *
 *     START END DIGIT
 *
 * START and END are the sample offsets at which dtmf_rx reported the key's
 * start and its end (END is -1 when the key still sounds at the end of the
 * input). dtmf_rx reports a key some 40-60 ms after the tone begins, so
 * START is a detection time, not an onset. The audio is fed in blocks of
 * BLOCK samples, so the offsets are exact to within BLOCK samples.
 *
 * This is a harness for dtmfkit's talkoff tool (internal/cmd/talkoff); it
 * only calls the library. build.sh builds it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

enum { BLOCK = 8 };

struct keys {
    int64_t pos;   /* samples fed so far */
    int64_t start; /* where the key sounding now was reported */
    int digit;     /* the key sounding now, or 0 */
};

/* on_change is dtmf_rx's realtime callback: code is the key's ASCII
 * character when a key starts, 0 when it ends. */
static void on_change(void *user, int code, int level, int delay)
{
    struct keys *k = user;
    (void) level;
    (void) delay;
    if (k->digit != 0) {
        printf("%" PRId64 " %" PRId64 " %c\n", k->start, k->pos, k->digit);
        k->digit = 0;
    }
    if (code != 0) {
        k->digit = code;
        k->start = k->pos;
    }
}

int main(int argc, char **argv)
{
    FILE *in = stdin;
    const char *name = "standard input";
    if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
        fprintf(stderr, "usage: dtmfrx [FILE]  (16-bit little-endian mono PCM at 8000 Hz)\n");
        return 2;
    }
    if (argc == 2 && strcmp(argv[1], "-") != 0) {
        name = argv[1];
        in = fopen(name, "rb");
        if (in == NULL) {
            fprintf(stderr, "dtmfrx: %s: %s\n", name, strerror(errno));
            return 1;
        }
    }

    struct keys k = {0, 0, 0};
    dtmf_rx_state_t *rx = dtmf_rx_init(NULL, NULL, NULL);
    if (rx == NULL) {
        fprintf(stderr, "dtmfrx: dtmf_rx_init failed\n");
        return 1;
    }
    dtmf_rx_set_realtime_callback(rx, on_change, &k);

    unsigned char buf[2 * BLOCK];
    int16_t amp[BLOCK];
    size_t have = 0;
    for (;;) {
        size_t n = fread(buf + have, 1, sizeof buf - have, in);
        have += n;
        if (have == sizeof buf || (n == 0 && have >= 2)) {
            int samples = (int) (have / 2);
            for (int i = 0; i < samples; i++)
                amp[i] = (int16_t) (uint16_t) (buf[2 * i] | (buf[2 * i + 1] << 8));
            k.pos += samples;
            dtmf_rx(rx, amp, samples);
            memmove(buf, buf + 2 * samples, have - 2 * samples);
            have -= 2 * samples;
        }
        if (n == 0)
            break;
    }
    if (ferror(in)) {
        fprintf(stderr, "dtmfrx: reading %s: %s\n", name, strerror(errno));
        return 1;
    }
    if (have != 0) {
        fprintf(stderr, "dtmfrx: %s ends in half a sample (an odd number of bytes)\n", name);
        return 1;
    }
    if (k.digit != 0)
        printf("%" PRId64 " -1 %c\n", k.start, k.digit);
    dtmf_rx_free(rx);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "dtmfrx: writing: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
