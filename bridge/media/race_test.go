//go:build race

package media_test

// raceEnabled scales the load test down under the race detector, which
// makes this code some ten times slower.
const raceEnabled = true
