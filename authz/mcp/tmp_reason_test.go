package mcp

const ReasonAmbiguousMember Reason = "ambiguous_member"
