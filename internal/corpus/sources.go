package corpus

import (
	"path"
	"strings"
)

// A Package is a Debian package of the corpus and the files taken from it.
type Package struct {
	Name  string
	Rules []Rule
}

// A Rule selects files of one kind from a package.
type Rule struct {
	Kind string // KindSpeech or KindMusic
	// Glob matches slash-separated paths relative to the package's root,
	// or to the archive's root if Archive is set: each segment as in
	// path.Match, and a "**" segment matches any number of segments,
	// none included.
	Glob string
	// Archive, if set, is the path of a zip archive in the package whose
	// members Glob selects.
	Archive string
}

// Packages returns the packages of the corpus (all of Debian bookworm, all
// Ogg Vorbis) and what is taken from each. fb-music-high, which issue 9
// suggests, is not among them: it holds one tracker module (.xm), not
// recorded audio. Of hyperrogue-music only the music is taken: its other
// 84 files are the game's sound effects (hits, pickups; 2.5 minutes).
func Packages() []Package {
	const fillets = "usr/share/games/fillets-ng/"
	return []Package{
		// Speech.
		{"fillets-ng-data-cs", []Rule{{Kind: KindSpeech, Glob: fillets + "sound/**/*.ogg"}}},
		{"fillets-ng-data-nl", []Rule{{Kind: KindSpeech, Glob: fillets + "sound/**/*.ogg"}}},
		{"fillets-ng-data", []Rule{
			{Kind: KindSpeech, Glob: fillets + "sound/*/en/*.ogg"},
			{Kind: KindMusic, Glob: fillets + "music/*.ogg"},
		}},
		{"klettres-data", []Rule{{Kind: KindSpeech, Glob: "**/*.ogg"}}},
		{"hedgewars-data", []Rule{{Kind: KindSpeech, Glob: "usr/share/games/hedgewars/Data/Sounds/voices/**/*.ogg"}}},
		// Music.
		{"wesnoth-1.16-music", []Rule{{Kind: KindMusic, Glob: "**/*.ogg"}}},
		{"hyperrogue-music", []Rule{{Kind: KindMusic, Glob: "usr/share/hyperrogue/music/*.ogg"}}},
		{"singularity-music", []Rule{{Kind: KindMusic, Glob: "**/*.ogg"}}},
		{"planetblupi-music-ogg", []Rule{{Kind: KindMusic, Glob: "**/*.ogg"}}},
		{"nexuiz-music", []Rule{{Kind: KindMusic, Archive: "usr/share/games/nexuiz/data/music.pk3", Glob: "sound/cdtracks/*.ogg"}}},
	}
}

// matchGlob reports whether the slash-separated name matches pattern, in
// which "**" is a whole segment matching zero or more segments and every
// other segment is a path.Match pattern. A malformed pattern matches
// nothing.
func matchGlob(pattern, name string) bool {
	return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := path.Match(pat[0], name[0]); !ok || err != nil {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
