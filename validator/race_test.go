//go:build race

package validator

// raceEnabled: the race detector slows everything several times; the
// adversarial test runs a shorter variant.
const raceEnabled = true
