package config

// validateAdmin warns when admin.ui serves recent decisions on an admin
// listener other hosts can reach: the page has no authentication.
func (c *Config) validateAdmin(f *fileErrs) {
	if c.Admin.UI && !localListener(c.Listen.Admin) {
		c.Warnings = append(c.Warnings, f.at("admin.ui",
			"listen.admin %q can be reached from other hosts, and the page (recent principals, resources and policies) has no authentication: "+
				"listen on loopback and use a port-forward, or put an authenticating proxy in front", c.Listen.Admin))
	}
}
