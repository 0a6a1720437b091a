// Package schema is the CUE schema of qsync's desired state, embedded in the
// binary. The CUE package at this directory is what users' files are
// validated against (and may import as "github.com/qsync/qsync/schema");
// its kind definitions are generated from the field table of
// internal/resource, the hand-written parts hold the shared types.
package schema

import "embed"

//go:generate go run ./gen

// ImportPath is the CUE import path of the schema package.
const ImportPath = "github.com/qsync/qsync/schema"

// BaselinesImportPath is the CUE import path of the system profile baselines.
const BaselinesImportPath = ImportPath + "/baselines"

// Files holds the schema's CUE files, baselines/ included.
//
//go:embed *.cue baselines/*.cue
var Files embed.FS
