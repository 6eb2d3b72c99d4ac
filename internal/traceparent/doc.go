// Package traceparent reads a W3C Trace Context traceparent value
// (https://www.w3.org/TR/trace-context/#traceparent-header), version 00
// only, strictly: anything else is ignored rather than guessed at.
package traceparent
