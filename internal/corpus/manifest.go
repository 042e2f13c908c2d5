package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The kinds of audio and the two halves of the corpus.
const (
	KindSpeech = "speech"
	KindMusic  = "music"

	// HalfTune is the half a receiver may be tuned on.
	HalfTune = "tune"
	// HalfTest is the held-back half: the figures that count are on it.
	HalfTest = "test"
)

// Rates are the sample rates the corpus is converted to, in Hz.
var Rates = [...]int{8000, 16000}

// An Entry is one source file of the corpus: an Ogg Vorbis file in a Debian
// package, or in a zip archive in one.
type Entry struct {
	Package, Version string
	// Path is the file's path inside the package, slash-separated and
	// relative ("usr/share/..."); a file inside a zip archive is
	// "ARCHIVE:MEMBER", e.g. "usr/share/games/nexuiz/data/music.pk3:sound/cdtracks/stairs.ogg".
	Path string
	Kind string // KindSpeech or KindMusic
	// Seconds is the decoded duration, rounded to 0.01 s.
	Seconds float64
	SHA256  string // of the source file's bytes, lowercase hex
	Half    string // HalfTune or HalfTest
}

// Source returns a short label for tables: the package name.
func (e Entry) Source() string { return e.Package }

// WAVPath returns where the entry's conversion to rate Hz is in cacheDir:
// cacheDir/RATE/PACKAGE/PATH.wav, with the ':' of an archive member's path
// made a '/'.
func (e Entry) WAVPath(cacheDir string, rate int) string {
	p := filepath.FromSlash(strings.ReplaceAll(e.Path, ":", "/"))
	return filepath.Join(cacheDir, strconv.Itoa(rate), e.Package, p+".wav")
}

// key identifies an entry's source file within the corpus.
func (e Entry) key() string { return e.Package + "/" + e.Path }

// DefaultCacheDir returns the folder the corpus is fetched and converted
// into: $DTMFKIT_CORPUS if set, else $XDG_CACHE_HOME/dtmfkit/corpus if
// that is an absolute path, else ~/.cache/dtmfkit/corpus, and if the home
// folder is unknown, dtmfkit-corpus in the temporary folder.
func DefaultCacheDir() string {
	if d := os.Getenv("DTMFKIT_CORPUS"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "dtmfkit", "corpus")
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, ".cache", "dtmfkit", "corpus")
	}
	return filepath.Join(os.TempDir(), "dtmfkit-corpus")
}

// manifestEntry is an Entry as the manifest file stores it.
type manifestEntry struct {
	Package string  `json:"package"`
	Version string  `json:"version"`
	Path    string  `json:"path"`
	Kind    string  `json:"kind"`
	Seconds float64 `json:"seconds"`
	SHA256  string  `json:"sha256"`
	Half    string  `json:"half"`
}

// LoadManifest reads the manifest file at path; see [ParseManifest].
func LoadManifest(path string) ([]Entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	entries, err := ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("corpus: manifest %s: %w", path, err)
	}
	return entries, nil
}

// ParseManifest parses a manifest: a JSON array of objects with the fields
// package, version, path, kind, seconds, sha256 and half, each present and
// valid, no other fields, no file listed twice and one version per package.
// Its errors name the entry and the field at fault.
func ParseManifest(b []byte) ([]Entry, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var raw []manifestEntry
	if err := dec.Decode(&raw); err != nil {
		return nil, jsonError(b, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: data after the array")
	}
	if len(raw) == 0 {
		return nil, errors.New("no entries")
	}
	entries := make([]Entry, len(raw))
	seen := make(map[string]bool, len(raw))
	versions := make(map[string]string)
	for i, m := range raw {
		e := Entry(m)
		if err := e.validate(); err != nil {
			return nil, fmt.Errorf("entry %d (%s %s): %w", i+1, e.Package, e.Path, err)
		}
		if seen[e.key()] {
			return nil, fmt.Errorf("entry %d: %s %s is listed twice", i+1, e.Package, e.Path)
		}
		seen[e.key()] = true
		if v, ok := versions[e.Package]; ok && v != e.Version {
			return nil, fmt.Errorf("entry %d: package %s at version %s, but earlier entries have %s", i+1, e.Package, e.Version, v)
		}
		versions[e.Package] = e.Version
		entries[i] = e
	}
	return entries, nil
}

// jsonError says where in b a decoding error is.
func jsonError(b []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("invalid JSON at line %d: %w", 1+bytes.Count(b[:min(int(syn.Offset), len(b))], []byte("\n")), err)
	case errors.As(err, &typ):
		return fmt.Errorf("invalid JSON at line %d: %w", 1+bytes.Count(b[:min(int(typ.Offset), len(b))], []byte("\n")), err)
	case errors.Is(err, io.EOF):
		return errors.New("empty file")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("invalid JSON: the file ends early")
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

var (
	// Debian policy 5.6.1 (package names) and 5.6.12 (versions).
	packageName = regexp.MustCompile(`^[a-z0-9][a-z0-9+.-]+$`)
	versionText = regexp.MustCompile(`^([0-9]+:)?[0-9][A-Za-z0-9.+~:-]*$`)
	sha256Hex   = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// validate checks an entry's fields, and that its path cannot leave the
// package's folder when joined to it.
func (e Entry) validate() error {
	switch {
	case e.Package == "":
		return errors.New(`"package" is missing or empty`)
	case !packageName.MatchString(e.Package):
		return fmt.Errorf(`"package" %q is not a Debian package name`, e.Package)
	case e.Version == "":
		return errors.New(`"version" is missing or empty`)
	case !versionText.MatchString(e.Version):
		return fmt.Errorf(`"version" %q is not a Debian version`, e.Version)
	case e.Path == "":
		return errors.New(`"path" is missing or empty`)
	case e.Kind == "":
		return errors.New(`"kind" is missing or empty`)
	case e.Kind != KindSpeech && e.Kind != KindMusic:
		return fmt.Errorf(`"kind" %q: want %q or %q`, e.Kind, KindSpeech, KindMusic)
	case e.Seconds == 0:
		return errors.New(`"seconds" is missing or zero`)
	case !(e.Seconds > 0) || math.IsInf(e.Seconds, 0):
		return fmt.Errorf(`"seconds" %g: want a positive duration`, e.Seconds)
	case e.SHA256 == "":
		return errors.New(`"sha256" is missing or empty`)
	case !sha256Hex.MatchString(e.SHA256):
		return fmt.Errorf(`"sha256" %q: want 64 lowercase hexadecimal digits`, e.SHA256)
	case e.Half == "":
		return errors.New(`"half" is missing or empty`)
	case e.Half != HalfTune && e.Half != HalfTest:
		return fmt.Errorf(`"half" %q: want %q or %q`, e.Half, HalfTune, HalfTest)
	}
	file, member, inArchive := strings.Cut(e.Path, ":")
	if !localPath(file) || inArchive && !localPath(member) {
		return fmt.Errorf(`"path" %q: want a relative, clean, slash-separated path (with at most one ':', before an archive member's path)`, e.Path)
	}
	return nil
}

// localPath reports whether p is a clean, relative, slash-separated path
// that stays below the folder it is joined to.
func localPath(p string) bool {
	return p != "" && p != "." && path.Clean(p) == p && !path.IsAbs(p) &&
		!strings.ContainsAny(p, `\:`) && filepath.IsLocal(filepath.FromSlash(p)) &&
		!slices.Contains(strings.Split(p, "/"), "..")
}

// MarshalManifest returns entries as a manifest file: a JSON array, one
// entry per line, sorted by package and path, seconds rounded to 0.01.
func MarshalManifest(entries []Entry) ([]byte, error) {
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b Entry) int {
		return cmpEntries(a, b)
	})
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, e := range sorted {
		e.Seconds = roundSeconds(e.Seconds)
		if err := e.validate(); err != nil {
			return nil, fmt.Errorf("corpus: %s %s: %w", e.Package, e.Path, err)
		}
		line, err := json.Marshal(manifestEntry(e))
		if err != nil {
			return nil, fmt.Errorf("corpus: %w", err)
		}
		buf.Write(line)
		if i < len(sorted)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	return buf.Bytes(), nil
}

func cmpEntries(a, b Entry) int {
	if c := strings.Compare(a.Package, b.Package); c != 0 {
		return c
	}
	return strings.Compare(a.Path, b.Path)
}

// roundSeconds rounds a duration to the 0.01 s the manifest keeps.
func roundSeconds(s float64) float64 { return math.Round(s*100) / 100 }
