package corpuseval

import (
	"fmt"
	"strings"

	"github.com/dtmfkit/dtmfkit/audio/g711"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// A Format is a way the corpus reaches a receiver: the converted WAV files
// at one rate, optionally through a G.711 μ-law round trip, as on a PCMU
// call leg.
type Format struct {
	Name  string          // the name -formats takes: "8k", "16k" or "ulaw"
	Label string          // for tables: "8 kHz", "16 kHz", "μ-law 8 kHz"
	Rate  dtmf.SampleRate // of the WAV files read and of the receiver
	MuLaw bool            // encode to μ-law and back before decoding
}

// The formats of issue 9, in the order tables list them.
var (
	Format8k   = Format{Name: "8k", Label: "8 kHz", Rate: 8000}
	Format16k  = Format{Name: "16k", Label: "16 kHz", Rate: 16000}
	FormatULaw = Format{Name: "ulaw", Label: "μ-law 8 kHz", Rate: 8000, MuLaw: true}
)

// Formats returns every format, in table order.
func Formats() []Format { return []Format{Format8k, Format16k, FormatULaw} }

// ParseFormats parses a comma-separated list of format names ("8k,ulaw"),
// or "all". The result is in table order, without repeats.
func ParseFormats(s string) ([]Format, error) {
	if strings.TrimSpace(s) == "all" {
		return Formats(), nil
	}
	want := map[string]bool{}
	for name := range strings.SplitSeq(s, ",") {
		name = strings.TrimSpace(name)
		ok := false
		for _, f := range Formats() {
			if f.Name == name {
				want[name], ok = true, true
			}
		}
		if !ok {
			return nil, fmt.Errorf("unknown format %q: want 8k, 16k, ulaw or all", name)
		}
	}
	var out []Format
	for _, f := range Formats() {
		if want[f.Name] {
			out = append(out, f)
		}
	}
	return out, nil
}

// Apply returns pcm as the receiver hears it in format f: for μ-law, each
// sample encoded and decoded (in place; pcm is returned); otherwise pcm
// itself.
func (f Format) Apply(pcm []int16) []int16 {
	if !f.MuLaw {
		return pcm
	}
	for i, v := range pcm {
		pcm[i] = g711.MuLaw.Decode(g711.MuLaw.Encode(v))
	}
	return pcm
}
