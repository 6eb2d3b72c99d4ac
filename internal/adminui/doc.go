// Package adminui is the optional, read-only page on the admin listener
// (admin.ui: true): the policy version and source, governed exceptions
// with their time to expiry, trust bundles and their age, denies by policy
// and by action over the last minutes, and a live tail of recent
// decisions. The page is static HTML, JavaScript and CSS embedded in the
// binary, served under a strict Content-Security-Policy; it renders every
// value as text. The tail holds only what the decision line holds, minus
// the Cedar context.
package adminui
