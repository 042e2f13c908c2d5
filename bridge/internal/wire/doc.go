// Package wire holds the small helpers the Graph and ACS wire packages
// share: enum tables, JSON decoding with a size limit and readable errors,
// and the checks on client-supplied strings.
package wire
