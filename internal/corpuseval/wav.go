package corpuseval

import (
	"fmt"
	"os"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/corpus"
)

// readWAV returns the samples of the WAV file at path, which must be at
// rate Hz.
func readWAV(path string, rate dtmf.SampleRate) ([]int16, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := wavio.NewReader(f, wavio.ReaderConfig{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.SampleRate() != int(rate) {
		return nil, fmt.Errorf("%s: %d Hz, want %d Hz", path, r.SampleRate(), rate)
	}
	pcm, err := wavio.ReadAll(r, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return pcm, nil
}

// MissingError says that converted corpus files are not in the cache:
// the corpus has not been built there (make corpus).
type MissingError struct {
	CacheDir       string
	Missing, Total int
	First          string // the first missing file
}

func (e *MissingError) Error() string {
	if e.Missing == e.Total {
		return fmt.Sprintf("the corpus is not in %s (no WAV file of the manifest is there): run make corpus", e.CacheDir)
	}
	return fmt.Sprintf("the corpus in %s is incomplete (%d of %d WAV files missing, first %s): run make corpus",
		e.CacheDir, e.Missing, e.Total, e.First)
}

// checkCache returns a *MissingError if a WAV file of entries at one of
// rates is not in cacheDir.
func checkCache(entries []corpus.Entry, cacheDir string, rates []dtmf.SampleRate) error {
	e := &MissingError{CacheDir: cacheDir}
	for _, rate := range rates {
		for _, en := range entries {
			e.Total++
			p := en.WAVPath(cacheDir, int(rate))
			if _, err := os.Stat(p); err != nil {
				if e.Missing == 0 {
					e.First = p
				}
				e.Missing++
			}
		}
	}
	if e.Missing > 0 {
		return e
	}
	return nil
}
