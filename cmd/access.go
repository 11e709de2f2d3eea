package cmd

import (
	"strings"

	"github.com/spf13/cobra"
)

// Which commands only read the book: the one place that decides it.
//
// A command in readers opens the book with sqlite.OpenReadOnly: the file is
// opened read-only, its journal mode is left alone and nothing is migrated,
// so reading never changes its bytes, and a book in a folder that cannot be
// written (read-only media, another user's folder, a backup) can be read.
// Every other command opens it for writing (sqlite.Open). A command is named
// by its path without "crm"; the function, when there is one, tells from the
// command line whether this run only reads (credit check writes the audit
// log only with --override).
//
// A new command goes in readers or in writers; TestEveryCommandDeclaresAccess
// fails until it does, and the read-only end-to-end test runs every reader
// over a book it cannot write.
var readers = map[string]func(c *cobra.Command, args []string) bool{
	"backup": nil, "brief": nil, "check": nil,
	"complaint": nil, "complaint due": nil, "complaint list": nil, "complaint show": nil, "complaint stats": nil, "complaint systemic": nil,
	"config": nil, "config show": nil,
	"contact": nil, "contact coverage": nil, "contact list": nil,
	"credit": nil, "credit aging": nil,
	"credit notice": func(c *cobra.Command, args []string) bool {
		record, _ := c.Flags().GetBool("record")
		return !record
	},
	"log": nil, "log list": nil,
	"task": nil, "task list": nil, "task show": nil, "credit notices": nil, "credit rating": nil, "credit statement": nil, "credit status": nil,
	"credit check": func(c *cobra.Command, args []string) bool {
		override, _ := c.Flags().GetBool("override")
		return !override
	},
	"credit limit": func(c *cobra.Command, args []string) bool { return len(args) < 2 }, // REF [AMOUNT]
	"customer":     nil, "customer list": nil, "customer show": nil,
	"deal": nil, "deal forecast": nil, "deal hot": nil, "deal list": nil, "deal lost": nil,
	"deal pipeline": nil, "deal report": nil, "deal show": nil,
	"funnel": nil,
	"churn":  nil, "churn explain": nil, "churn winback": nil, "today": nil,
	"policy": nil, "policy show": nil, "policy check": nil,
	"order": nil, "order list": nil,
	"payment": nil, "payment list": nil,
	"rfm": nil, "rfm explain": nil, "rfm grid": nil, "rfm moves": nil, "rfm score": nil, "rfm segments": nil,
	"tier": nil, "tier changes": nil, "tier explain": nil, "tier list": nil, "tier pins": nil, "tier snapshots": nil, "tier summary": nil,
}

// writers are the commands that write (open the book with sqlite.Open);
// only the test reads this list.
var writers = []string{
	"complaint classify", "complaint close", "complaint followup", "complaint investigate", "complaint log",
	"complaint reopen", "complaint resolve",
	"contact add", "contact edit", "contact rm",
	"credit check --override", "credit limit REF AMOUNT",
	"customer add", "customer edit", "customer rm",
	"today snooze",
	"deal add", "deal edit", "deal freeze", "deal level", "deal lose", "deal reopen", "deal wake", "deal win",
	"credit notice --record",
	"demo", "import",
	"log call", "log email", "log event", "log letter", "log meeting", "log message", "log note", "log visit", "log rm",
	"task add", "task cancel", "task done", "task edit", "task reopen", "task snooze",
	"order add", "order rm", "payment add", "payment rm",
	"tier pin", "tier save", "tier unpin",
}

// readsOnly reports whether this run of cmd only reads the book.
func readsOnly(cmd *cobra.Command, args []string) bool {
	path := strings.Join(strings.Fields(cmd.CommandPath())[1:], " ")
	when, ok := readers[path]
	if !ok {
		return false
	}
	return when == nil || when(cmd, args)
}
