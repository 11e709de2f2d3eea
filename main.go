// Command crm keeps one salesperson's book of customers in a local SQLite file.
package main

import (
	"os"

	"github.com/crm-course/crm/cmd"
)

func main() { os.Exit(cmd.Main()) }
