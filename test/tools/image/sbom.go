package main

import (
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// SPDX 2.3 JSON, only the fields this SBOM fills.
type spdxDoc struct {
	SPDXVersion       string         `json:"spdxVersion"`
	DataLicense       string         `json:"dataLicense"`
	SPDXID            string         `json:"SPDXID"`
	Name              string         `json:"name"`
	DocumentNamespace string         `json:"documentNamespace"`
	CreationInfo      spdxCreation   `json:"creationInfo"`
	Packages          []spdxPackage  `json:"packages"`
	Relationships     []spdxRelation `json:"relationships"`
}

type spdxCreation struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

type spdxPackage struct {
	Name             string         `json:"name"`
	SPDXID           string         `json:"SPDXID"`
	VersionInfo      string         `json:"versionInfo"`
	DownloadLocation string         `json:"downloadLocation"`
	FilesAnalyzed    bool           `json:"filesAnalyzed"`
	LicenseConcluded string         `json:"licenseConcluded"`
	LicenseDeclared  string         `json:"licenseDeclared"`
	CopyrightText    string         `json:"copyrightText"`
	Checksums        []spdxChecksum `json:"checksums,omitempty"`
	ExternalRefs     []spdxRef      `json:"externalRefs,omitempty"`
}

type spdxChecksum struct {
	Algorithm     string `json:"algorithm"`
	ChecksumValue string `json:"checksumValue"`
}

type spdxRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

type spdxRelation struct {
	Element string `json:"spdxElementId"`
	Type    string `json:"relationshipType"`
	Related string `json:"relatedSpdxElement"`
}

// writeSBOM lists the Go modules linked into bin, read back from the
// binary's own build information, as out/sbom-linux-ARCH.spdx.json.
func writeSBOM(o options, bin, arch string) (string, error) {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	doc := sbom(o, bi, arch, hex.EncodeToString(sum[:]))
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(o.out, "sbom-linux-"+arch+".spdx.json")
	return path, os.WriteFile(path, append(out, '\n'), 0o644)
}

func sbom(o options, bi *buildinfo.BuildInfo, arch, sha string) spdxDoc {
	main := spdxPackage{Name: bi.Main.Path, SPDXID: "SPDXRef-Package-tollgate", VersionInfo: o.version,
		DownloadLocation: source, LicenseConcluded: "Apache-2.0", LicenseDeclared: "Apache-2.0",
		CopyrightText: "NOASSERTION", Checksums: []spdxChecksum{{"SHA256", sha}},
		ExternalRefs: []spdxRef{purl(bi.Main.Path, o.version)}}
	doc := spdxDoc{SPDXVersion: "SPDX-2.3", DataLicense: "CC0-1.0", SPDXID: "SPDXRef-DOCUMENT",
		Name:              "tollgate-" + o.version + "-linux-" + arch,
		DocumentNamespace: fmt.Sprintf("%s/spdx/%s/linux-%s/%s", source, o.version, arch, sha),
		CreationInfo: spdxCreation{Created: time.Unix(o.epoch, 0).UTC().Format(time.RFC3339),
			Creators: []string{"Tool: tollgate-test-tools-image"}},
		Packages:      []spdxPackage{main},
		Relationships: []spdxRelation{{"SPDXRef-DOCUMENT", "DESCRIBES", main.SPDXID}}}
	add := func(path, version string) {
		p := module(path, version)
		doc.Packages = append(doc.Packages, p)
		doc.Relationships = append(doc.Relationships, spdxRelation{main.SPDXID, "DEPENDS_ON", p.SPDXID})
	}
	add("stdlib", bi.GoVersion)
	for _, d := range bi.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		add(d.Path, d.Version)
	}
	return doc
}

func module(path, version string) spdxPackage {
	return spdxPackage{Name: path, SPDXID: spdxID(path + "-" + version), VersionInfo: version,
		DownloadLocation: "NOASSERTION", LicenseConcluded: "NOASSERTION", LicenseDeclared: "NOASSERTION",
		CopyrightText: "NOASSERTION", ExternalRefs: []spdxRef{purl(path, version)}}
}

func purl(path, version string) spdxRef {
	return spdxRef{"PACKAGE-MANAGER", "purl", "pkg:golang/" + path + "@" + version}
}

var notIDChar = regexp.MustCompile(`[^A-Za-z0-9.-]`)

// spdxID makes an SPDX element ID: letters, digits, '.' and '-' only.
func spdxID(s string) string {
	return "SPDXRef-Package-" + notIDChar.ReplaceAllString(s, "-")
}
