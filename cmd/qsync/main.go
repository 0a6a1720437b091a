// Command qsync keeps a Qualys VM/PC subscription's configuration in git,
// as CUE. All of its logic lives in internal/cli.
package main

import (
	"os"

	"github.com/qsync/qsync/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.SystemIO()))
}
