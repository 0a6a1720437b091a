// Command gen writes schema/kinds_gen.cue from the field table.
package main

import (
	"log"
	"os"

	"github.com/qsync/qsync/internal/resource"
	"github.com/qsync/qsync/schema"
)

func main() {
	if err := os.WriteFile("kinds_gen.cue", schema.Generate(resource.Default()), 0o644); err != nil {
		log.Fatal(err)
	}
}
