// Package deptest holds the tests that enforce Ganglion's dependency
// direction (cmd → roles → core → leaf) and the mandated module versions.
//
// Import rules: nothing imports it; it has tests only.
package deptest
