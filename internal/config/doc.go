// Package config decodes and validates the tollgate serve configuration file.
//
// Decoding is strict: an unknown key or a value of the wrong type is an error
// that names the file, the line and the key. Relative paths in the file are
// resolved against the directory that holds it. The running server never
// reads the file again: cmd/tollgate builds everything from the Config value.
package config
