package corpuseval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"strconv"
	"strings"

	"github.com/dtmfkit/dtmfkit/audio/resample"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Spandsp is spandsp's DTMF receiver, dtmf_rx with its default settings,
// run through the dtmfrx harness (internal/cmd/talkoff/spandsp/dtmfrx.c)
// at Path, one process per call. It takes 8000 Hz audio only. Its keys'
// Start and End are where dtmf_rx reported them (within 8 samples), not
// the tones' onsets.
type Spandsp struct {
	Path string
}

// Name returns "spandsp".
func (Spandsp) Name() string { return "spandsp" }

// Keys runs the harness on pcm.
func (s Spandsp) Keys(ctx context.Context, pcm []int16, rate dtmf.SampleRate) ([]Key, error) {
	if rate != 8000 {
		return nil, fmt.Errorf("spandsp: %v audio; the harness takes 8000 Hz", rate)
	}
	return runTool(ctx, "spandsp", s.Path, nil, newPCMReader(pcm), parseSpandsp)
}

// parseSpandsp parses the harness's lines, "START END DIGIT".
func parseSpandsp(out []byte) ([]Key, error) {
	var keys []Key
	sc := bufio.NewScanner(bytes.NewReader(out))
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			return nil, fmt.Errorf("output line %d %q: want START END DIGIT", n, sc.Text())
		}
		start, err1 := strconv.ParseInt(f[0], 10, 64)
		end, err2 := strconv.ParseInt(f[1], 10, 64)
		d, ok := parseKey(f[2])
		if err := errors.Join(err1, err2); err != nil || !ok {
			return nil, fmt.Errorf("output line %d %q: want START END DIGIT", n, sc.Text())
		}
		keys = append(keys, Key{Digit: d, Start: start, End: end})
	}
	return keys, sc.Err()
}

// MultimonRate is the sample rate multimon-ng's demodulators take.
const MultimonRate = 22050

// Multimon is multimon-ng's DTMF demodulator, at Path: multimon-ng -a
// DTMF -t raw, one process per call, given the audio resampled to
// [MultimonRate] by package audio/resample. It reports no positions: its
// keys' Start and End are −1.
type Multimon struct {
	Path string
}

// Name returns "multimon-ng".
func (Multimon) Name() string { return "multimon-ng" }

// Keys runs multimon-ng on pcm.
func (m Multimon) Keys(ctx context.Context, pcm []int16, rate dtmf.SampleRate) ([]Key, error) {
	// DTMF ends at 1633 Hz: a passband to 0.8 of the lower Nyquist
	// frequency and 60 dB of stopband keep the tones exact and cost a
	// third of the default filter.
	rs, err := resample.New(resample.Config{InRate: int(rate), OutRate: MultimonRate, Passband: 0.8, Attenuation: 60})
	if err != nil {
		return nil, fmt.Errorf("multimon-ng: %w", err)
	}
	args := []string{"-q", "-c", "-a", "DTMF", "-t", "raw", "-"}
	return runTool(ctx, "multimon-ng", m.Path, args, newResampledReader(rs, pcm), parseMultimon)
}

// parseMultimon parses multimon-ng's lines, "DTMF: D".
func parseMultimon(out []byte) ([]Key, error) {
	var keys []Key
	sc := bufio.NewScanner(bytes.NewReader(out))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		digit, ok := strings.CutPrefix(line, "DTMF: ")
		d, isKey := parseKey(digit)
		if !ok || !isKey {
			return nil, fmt.Errorf("output line %d %q: want \"DTMF: D\"", n, line)
		}
		keys = append(keys, Key{Digit: d, Start: -1, End: -1})
	}
	return keys, sc.Err()
}

// parseKey parses s, one keypad character, as a key.
func parseKey(s string) (dtmf.Digit, bool) {
	if len(s) != 1 {
		return 0, false
	}
	d, err := dtmf.ParseDigit(rune(s[0]))
	return d, err == nil
}

// runTool runs the receiver name at path with args, stdin as its
// standard input, and returns the keys parse finds in its standard
// output. A failure says how it ended and the first line of its standard
// error.
func runTool(ctx context.Context, name, path string, args []string, stdin io.Reader, parse func([]byte) ([]Key, error)) ([]Key, error) {
	out, err := runCommand(ctx, path, args, stdin)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	keys, err := parse(out)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", name, path, err)
	}
	return keys, nil
}

// runCommand runs path with args and stdin and returns its standard
// output.
func runCommand(ctx context.Context, path string, args []string, stdin io.Reader) ([]byte, error) {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		if msg != "" {
			return nil, fmt.Errorf("%s: %w: %s", path, err, msg)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return stdout.Bytes(), nil
}

// chunkReader is an io.Reader of bytes made a chunk at a time by next,
// which appends the next chunk to its argument, and appends nothing at
// the end.
type chunkReader struct {
	next func(dst []byte) []byte
	buf  []byte
	pos  int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for r.pos == len(r.buf) {
		r.buf, r.pos = r.next(r.buf[:0]), 0
		if len(r.buf) == 0 {
			return 0, io.EOF
		}
	}
	n := copy(p, r.buf[r.pos:])
	r.pos += n
	return n, nil
}

// readChunk is how many samples the readers below convert at once.
const readChunk = 4096

// newPCMReader returns a reader of pcm as 16-bit little-endian bytes.
func newPCMReader(pcm []int16) io.Reader {
	return &chunkReader{next: func(dst []byte) []byte {
		n := min(len(pcm), readChunk)
		for _, v := range pcm[:n] {
			dst = binary.LittleEndian.AppendUint16(dst, uint16(v))
		}
		pcm = pcm[n:]
		return dst
	}}
}

// newResampledReader returns a reader of pcm resampled by rs, rounded
// and clipped to 16 bits, as little-endian bytes.
func newResampledReader(rs *resample.Resampler, pcm []int16) io.Reader {
	var in, out []float64
	flushed := false
	return &chunkReader{next: func(dst []byte) []byte {
		for len(out) == 0 && !flushed {
			if len(pcm) == 0 {
				out = rs.Flush(out)
				flushed = true
				break
			}
			n := min(len(pcm), readChunk)
			in = in[:0]
			for _, v := range pcm[:n] {
				in = append(in, float64(v))
			}
			pcm = pcm[n:]
			out = rs.Process(out, in)
		}
		for _, v := range out {
			v = math.Round(max(-32768, min(32767, v)))
			dst = binary.LittleEndian.AppendUint16(dst, uint16(int16(v)))
		}
		out = out[:0]
		return dst
	}}
}

// FindMultimon returns multimon-ng from $PATH, or an error that says it is
// not installed.
func FindMultimon() (Multimon, error) {
	p, err := exec.LookPath("multimon-ng")
	if err != nil {
		return Multimon{}, errors.New("multimon-ng is not installed (apt-get install multimon-ng)")
	}
	return Multimon{Path: p}, nil
}

// BuildSpandsp builds the dtmfrx harness into out with the build script
// (internal/cmd/talkoff/spandsp/build.sh) and returns it. The error says
// why it could not be built, typically that libspandsp-dev or a C
// compiler is not installed.
func BuildSpandsp(ctx context.Context, script, out string) (Spandsp, error) {
	cmd := exec.CommandContext(ctx, "sh", script, out)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		err = fmt.Errorf("spandsp's dtmf_rx could not be built (apt-get install libspandsp-dev): %s: %w", script, err)
		if first := firstError(msg); first != "" {
			err = fmt.Errorf("%w: %s", err, first)
		}
		return Spandsp{}, err
	}
	return Spandsp{Path: out}, nil
}

// firstError returns the first line of a compiler's output that reports
// an error, else its first line.
func firstError(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for _, l := range lines {
		if strings.Contains(l, "error") || strings.Contains(l, "not found") {
			return strings.TrimSpace(l)
		}
	}
	return strings.TrimSpace(lines[0])
}
