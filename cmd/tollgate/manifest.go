package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

const manifestUsage = `usage: tollgate manifest pin SAVED_TOOLS_LIST.json

pin reads a saved MCP tools/list response (the JSON-RPC response, or its
result object) and prints the manifest's mcp.pins block for its tools: for
each tool, "sha256:" and the SHA-256 of the RFC 8785 canonical JSON of its
name, description, inputSchema and annotations. Paste it into the route's
mcp block. A listed tool whose definition no longer matches its pin is
removed from tools/list results and its calls are denied (mcp_tool_drift)
until the pin is updated. A pin is a declaration, not a grant: the tool
still needs a Cedar permit.

Exit status: 0 printed, 1 the file cannot be read or is not a tools/list
result, 2 bad usage.`

// runManifest dispatches `tollgate manifest pin`.
func runManifest(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		fmt.Fprintln(stderr, manifestUsage)
		return exitUsage
	case isHelp(args[0]):
		fmt.Fprintln(stdout, manifestUsage)
		return exitOK
	case args[0] != "pin":
		return usageError(stderr, "tollgate manifest", fmt.Sprintf("unknown subcommand %q (want pin)", args[0]))
	}
	fs := newFlagSet("tollgate manifest pin", manifestUsage)
	pos, code, done := parseCLI(fs, args[1:], stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 1 {
		return wantArgs(stderr, fs.Name(), "1", len(pos))
	}
	tools, err := readToolsList(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "tollgate manifest pin: %s: %v\n", pos[0], err)
		return exitError
	}
	fmt.Fprintf(stdout, "# tollgate manifest pin %s: %d tools; paste under the route's mcp block\npins:\n", pos[0], len(tools))
	for _, t := range tools {
		name, _ := json.Marshal(t.Name) // a JSON string is a YAML scalar
		fmt.Fprintf(stdout, "  %s: %s\n", name, t.Pin())
	}
	return exitOK
}

// readToolsList reads the tools of a saved tools/list response or result.
func readToolsList(path string) ([]mcp.Tool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	opts := mcp.Options{MaxBytes: 64 << 20}
	b, err := mcp.ParseServerBody(context.Background(), data, opts)
	if err != nil || b.Batch || !b.Messages[0].IsList {
		// A bare result object: {"tools": [...]}.
		wrapped := append(append([]byte(`{"jsonrpc":"2.0","id":0,"result":`), data...), '}')
		if b2, err2 := mcp.ParseServerBody(context.Background(), wrapped, opts); err2 == nil && !b2.Batch && b2.Messages[0].IsList {
			b, err = b2, nil
		} else if err == nil {
			err = errors.New("not a tools/list response or result (no result.tools)")
		}
	}
	if err != nil {
		return nil, err
	}
	tools := b.Messages[0].Tools
	if len(tools) == 0 {
		return nil, errors.New("the list has no tools")
	}
	for _, t := range tools {
		if t.Pin() == "" {
			return nil, fmt.Errorf("tool %q: its definition has a number with no canonical form", t.Name)
		}
	}
	return tools, nil
}
