// Package cmd is the cobra tree of crm. Run is the whole CLI as a function of
// arguments, streams and a clock, so tests run it in-process.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/crm-course/crm/cmd/brief"
	"github.com/crm-course/crm/cmd/churn"
	"github.com/crm-course/crm/cmd/complaint"
	"github.com/crm-course/crm/cmd/configcmd"
	"github.com/crm-course/crm/cmd/contact"
	"github.com/crm-course/crm/cmd/credit"
	"github.com/crm-course/crm/cmd/customer"
	"github.com/crm-course/crm/cmd/deal"
	"github.com/crm-course/crm/cmd/demo"
	"github.com/crm-course/crm/cmd/funnel"
	"github.com/crm-course/crm/cmd/importcmd"
	"github.com/crm-course/crm/cmd/logcmd"
	"github.com/crm-course/crm/cmd/maint"
	"github.com/crm-course/crm/cmd/order"
	"github.com/crm-course/crm/cmd/payment"
	"github.com/crm-course/crm/cmd/policy"
	"github.com/crm-course/crm/cmd/rfm"
	"github.com/crm-course/crm/cmd/task"
	"github.com/crm-course/crm/cmd/tier"
	"github.com/crm-course/crm/cmd/today"
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/iostreams"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/rqlite"
	"github.com/crm-course/crm/internal/sqlite"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Version is set at build time with -ldflags "-X github.com/crm-course/crm/cmd.Version=…".
var Version = "0.1.0-dev"

// Main runs crm on the process's arguments and streams and returns the exit status.
func Main() int {
	if path := os.Getenv("CRM_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if path := os.Getenv("CRM_MEMPROFILE"); path != "" {
		// A sample every 4 KiB allocated, written at exit (go tool pprof
		// -sample_index=alloc_space: where the bytes went).
		runtime.MemProfileRate = 1 << 12
		defer func() {
			runtime.GC() // the profile holds what the last collection saw
			if f, err := os.Create(path); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// The first Ctrl-C cancels ctx and crm stops cleanly (exit 130); a
	// second one, should anything not give way, ends the process at once.
	context.AfterFunc(ctx, stop)
	return Run(ctx, os.Args[1:], iostreams.System(), time.Now)
}

// app holds one run's state: the configuration and the lazily opened store.
type app struct {
	f       *cmdutil.Factory
	v       *viper.Viper
	cfgFile string
	cfgSrc  string
	sources map[string]cmdutil.Source
	started bool

	once    sync.Once
	store   cmdutil.Store
	openErr error

	// errOut and out escape control characters in what people read: stderr
	// always, stdout in table format (out is nil otherwise).
	errOut, out *output.Escaper
	// readsOnly: the executing command only reads the book (access.go).
	readsOnly bool
}

// ExitInterrupted is the exit status of a command stopped by an interrupt
// (Ctrl-C, SIGINT): 128 + 2, as shells report a process killed by SIGINT.
const ExitInterrupted = 130

// Run executes crm with args and returns the exit status (SPEC §1: 0 ok, 1 runtime
// error, 2 usage error, plus command-specific ones).
func Run(ctx context.Context, args []string, ios *iostreams.IOStreams, now func() time.Time) int {
	return run(ctx, args, ios, now, nounOf(args))
}

// run is Run with the tree built for the noun only ("": the whole tree).
func run(ctx context.Context, args []string, ios *iostreams.IOStreams, now func() time.Time, only string) int {
	a := &app{sources: map[string]cmdutil.Source{}}
	// Names, complaint texts and notes are data: one with terminal control
	// sequences must not retitle or clear the screen of whoever reads a
	// message about it (output.Escaper; stdout once the format is known).
	a.errOut = output.NewEscaper(ios.ErrOut)
	ios = ios.WithErrOut(a.errOut)
	a.f = &cmdutil.Factory{IO: ios, Now: now, Globals: &cmdutil.Globals{Format: output.Table}}
	a.f.Store = a.openStore
	a.f.OpenBook = a.openBook
	a.f.Setting = a.setting
	a.f.Sources = func() []cmdutil.Source { return a.allSources() }
	root := a.newRoot(only)
	root.SetArgs(args)
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	cmd, err := root.ExecuteContextC(ctx)
	if a.store != nil {
		a.store.Close()
	}
	code := a.exitCode(cmd, err)
	if a.out != nil {
		a.out.Flush()
	}
	a.errOut.Flush()
	return code
}

// Tree returns the whole command tree (no database is opened), for tests and
// documentation that walk it.
func Tree() *cobra.Command {
	a := &app{sources: map[string]cmdutil.Source{}}
	ios, _, _, _ := iostreams.Test()
	a.f = &cmdutil.Factory{IO: ios, Now: time.Now, Globals: &cmdutil.Globals{Format: output.Table}}
	a.f.Store = a.openStore
	return a.newRoot("")
}

func (a *app) exitCode(cmd *cobra.Command, err error) int {
	if err == nil {
		return 0
	}
	w := a.f.IO.ErrOut
	var ee *cmdutil.ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(w, "crm: %s\n", ee.Err.Error())
		}
		return ee.Code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "crm: interrupted; nothing was written")
		return ExitInterrupted
	}
	err = sqlite.DescribeError(err, a.f.Globals.DBPath)
	fmt.Fprintf(w, "crm: %s\n", err.Error())
	if cmdutil.IsUsage(err) || !a.started {
		if cmd != nil {
			fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return 2
	}
	return 1
}

// nouns are crm's top-level commands, in the order of the help, with the
// names and aliases that select each (a test checks them against the tree).
var nouns = []struct {
	group string
	names []string
	build func(*cmdutil.Factory) *cobra.Command
}{
	{"records", []string{"customer", "customers", "cust"}, customer.NewCmd},
	{"records", []string{"contact", "contacts"}, contact.NewCmd},
	{"records", []string{"order", "orders"}, order.NewCmd},
	{"records", []string{"payment", "payments", "pay"}, payment.NewCmd},
	{"records", []string{"log"}, logcmd.NewCmd},
	{"records", []string{"task", "tasks", "todo"}, task.NewCmd},
	{"records", []string{"import"}, importcmd.NewCmd},
	{"analysis", []string{"rfm"}, rfm.NewCmd},
	{"analysis", []string{"tier"}, tier.NewCmd},
	{"analysis", []string{"credit"}, credit.NewCmd},
	{"analysis", []string{"complaint", "complaints"}, complaint.NewCmd},
	{"records", []string{"deal", "deals", "opportunity", "opp"}, deal.NewCmd},
	{"analysis", []string{"funnel"}, funnel.NewCmd},
	{"analysis", []string{"churn"}, churn.NewCmd},
	{"records", []string{"today", "agenda"}, today.NewCmd},
	{"analysis", []string{"policy"}, policy.NewCmd},
	{"analysis", []string{"brief"}, brief.NewCmd},
	{"admin", []string{"config"}, configcmd.NewCmd},
	{"admin", []string{"backup"}, maint.NewBackupCmd},
	{"admin", []string{"check"}, maint.NewCheckCmd},
	{"admin", []string{"demo"}, demo.NewCmd},
}

// rootValueFlags are the root's flags that take a value as the next
// argument (--db PATH, -o json).
var rootValueFlags = []string{"--format", "-o", "--lang", "--as-of", "--db", "--config"}

// nounOf is the noun that args run ("customer" for --db x customer show C1),
// when they run one: the first argument after the root's own flags names a
// noun. Only that noun's commands are then built (building all of them was
// a tenth of a command's start-up); "" — the root's help, help and
// completion commands, a mistyped noun (its suggestions), a flag the root
// does not know — needs the whole tree, and crm --version none (noNouns).
// noNouns builds the root alone.
const noNouns = "-"

func nounOf(args []string) string {
	if len(args) == 1 && args[0] == "--version" {
		return noNouns
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") {
			for _, n := range nouns {
				if slices.Contains(n.names, arg) {
					return arg
				}
			}
			return ""
		}
		name, _, hasValue := strings.Cut(arg, "=")
		switch {
		case slices.Contains(rootValueFlags, name):
			if !hasValue {
				i++ // the flag's value
			}
		case strings.HasPrefix(arg, "-o") && !strings.HasPrefix(arg, "--"):
			// -ojson
		case arg == "--csv-safe" || strings.HasPrefix(arg, "--csv-safe="):
		default:
			return ""
		}
	}
	return ""
}

func (a *app) newRoot(only string) *cobra.Command {
	g := a.f.Globals
	root := &cobra.Command{
		Use:   "crm",
		Short: "A command-line CRM: customers, orders, RFM, tiers, credit and complaints in one SQLite file",
		Long: `crm keeps one salesperson's whole book of customers in a single local SQLite file:
customers and their contacts, orders, payments and complaints, and the course's models
over them (RFM scores and segments, A/B/C tiers, credit limits and receivables aging,
the complaint-handling process).

Every listing prints --format table (for people), csv or json (for scripts);
--csv-safe writes CSV to open in a spreadsheet (cells that would run as a
formula start with ', every field quoted). Tables and messages show control
characters in the data escaped (\x1b); CSV and JSON keep the data as stored.
Time-dependent answers take --as-of DATE, so they are reproducible.` + cmdutil.ExitStatusHelp(""),
		Version:       Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			a.started = true
			a.f.Ctx = cmd.Context()
			a.readsOnly = readsOnly(cmd, args)
			return a.configure(cmd)
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// "-120.00" looks like flags to the parser: say how to pass it.
		if m := negativeNumberFlag().FindStringSubmatch(err.Error()); m != nil {
			err = fmt.Errorf("%w (a negative amount goes after --, which ends the flags: %s … -- %s)", err, c.CommandPath(), m[1])
		}
		return &cmdutil.FlagError{Err: err}
	})
	pf := root.PersistentFlags()
	pf.VarP(&g.Format, "format", "o", "output format: table, csv or json")
	pf.String("lang", "", "language of table headers and labels: en or zh (default: config, else zh when LANG starts with zh)")
	pf.String("as-of", "", "answer as of this date, YYYY-MM-DD (default today)")
	pf.String("db", "", "database file (default $XDG_DATA_HOME/crm/crm.db)")
	pf.String("config", "", "config file (default $XDG_CONFIG_HOME/crm/config.yaml)")
	pf.BoolVar(&g.CSVSafe, "csv-safe", false, "CSV for spreadsheets: quote every field and prefix text starting with = + - @ with ' (no formulas run)")

	root.AddGroup(&cobra.Group{ID: "records", Title: "Records:"}, &cobra.Group{ID: "analysis", Title: "Analysis:"},
		&cobra.Group{ID: "admin", Title: "Database and settings:"})
	for _, n := range nouns {
		if only == "" || slices.Contains(n.names, only) {
			c := n.build(a.f)
			c.GroupID = n.group
			root.AddCommand(c)
		}
	}
	requireVerb(root)
	root.SetHelpCommandGroupID("admin")
	root.SetCompletionCommandGroupID("admin")
	// A noun's command never runs `completion`, which cobra would otherwise
	// build on every run (crm completion … builds the whole tree).
	root.CompletionOptions.DisableDefaultCmd = only != ""
	return root
}

// requireVerb makes a noun given an unknown verb a usage error (cobra would
// print the noun's help and exit 0); a bare noun still shows its help.
func requireVerb(c *cobra.Command) {
	for _, sub := range c.Commands() {
		if sub.HasSubCommands() && sub.Run == nil && sub.RunE == nil {
			sub.Args = cobra.ArbitraryArgs
			sub.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
					if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
						msg += "; did you mean " + strings.Join(s, " or ") + "?"
					}
					return cmdutil.FlagErrorf("%s", msg)
				}
				return cmd.Help()
			}
		}
		requireVerb(sub)
	}
}

// openBook opens the book at path for writing, as openStore does the
// database (the clock injected too).
func (a *app) openBook(path string) (cmdutil.Store, error) {
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		return nil, err
	}
	st.Now = a.f.Now
	return st, nil
}

func (a *app) openStore() (cmdutil.Store, error) {
	a.once.Do(func() {
		ctx, path := context.Background(), a.f.Globals.DBPath
		if rqlite.IsURL(path) {
			// A team's book on an rqlite cluster (internal/rqlite).
			a.store, a.openErr = a.openCluster(ctx, path)
			return
		}
		var st *sqlite.DB
		if !a.readsOnly {
			st, a.openErr = sqlite.Open(ctx, path)
		} else if st, a.openErr = sqlite.OpenReadOnly(ctx, path); errors.Is(a.openErr, sqlite.ErrNeedsWrite) {
			// No book there yet, or one of an older crm: made or upgraded
			// as by any command, where it can be written; where it cannot,
			// the read-only open's message says what to do.
			if rw, err := sqlite.Open(ctx, path); !errors.Is(err, sqlite.ErrReadOnly) {
				st, a.openErr = rw, err
			}
		}
		if st != nil {
			st.Now = a.f.Now
			a.store = st
		}
	})
	if a.openErr != nil {
		return nil, a.openErr
	}
	return a.store, nil
}

// openCluster opens the book on the cluster url names, with the
// credentials of the config file (rqlite.user, rqlite.password) or the
// environment (CRM_RQLITE_USER, CRM_RQLITE_PASSWORD); never a flag.
func (a *app) openCluster(ctx context.Context, url string) (cmdutil.Store, error) {
	var o rqlite.Options
	if v := a.setting("rqlite.user"); v != nil {
		o.User = fmt.Sprint(v)
	}
	if v := a.setting("rqlite.password"); v != nil {
		o.Password = fmt.Sprint(v)
	}
	st, err := rqlite.Open(ctx, url, o)
	if err != nil {
		return nil, err
	}
	st.DB.Now = a.f.Now
	return st, nil
}

// neverFromConfig are flags that must be typed each time.
var neverFromConfig = map[string]bool{"help": true, "version": true, "config": true, "force": true, "override": true, "reason": true}

// configure applies flag > env > config file > default to every flag of the
// executing command (stingoftheviper), then resolves the global options.
func (a *app) configure(cmd *cobra.Command) error {
	cfg, _ := cmd.Flags().GetString("config")
	a.cfgSrc = "flag --config"
	explicit := cfg != ""
	if cfg == "" {
		if env := os.Getenv("CRM_CONFIG"); env != "" {
			cfg, a.cfgSrc, explicit = env, "env CRM_CONFIG", true
		} else {
			cfg, a.cfgSrc = filepath.Join(configHome(), "crm", "config.yaml"), "default"
		}
	}
	a.cfgFile = cfg
	if _, err := os.Stat(cfg); err == nil {
		// viper only when there is a file to read (a.v stays nil otherwise).
		a.v = viper.New()
		a.v.SetConfigFile(cfg)
		if ext := filepath.Ext(cfg); ext == "" || ext == ".conf" {
			a.v.SetConfigType("yaml")
		}
		if err := a.v.ReadInConfig(); err != nil {
			return cmdutil.FlagErrorf("config file %s: %v", cfg, err)
		}
	} else if explicit {
		return cmdutil.FlagErrorf("config file %s: no such file", cfg)
	} else {
		a.cfgFile = ""
	}
	path := strings.Fields(cmd.CommandPath())[1:] // without "crm"
	var errs []string
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if neverFromConfig[fl.Name] {
			return
		}
		if fl.Changed {
			a.sources[fl.Name] = cmdutil.Source{Key: fl.Name, Value: fl.Value.String(), From: "flag --" + fl.Name}
			return
		}
		global := cmd.Root().PersistentFlags().Lookup(fl.Name) != nil
		val, from, ok := a.lookup(path, fl.Name, global)
		if !ok {
			a.sources[fl.Name] = cmdutil.Source{Key: fl.Name, Value: fl.Value.String(), From: "default"}
			return
		}
		if err := setFlag(fl, val); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", from, err))
			return
		}
		a.sources[fl.Name] = cmdutil.Source{Key: fl.Name, Value: fl.Value.String(), From: from}
	})
	if len(errs) > 0 {
		return cmdutil.FlagErrorf("%s", strings.Join(errs, "; "))
	}
	return a.resolveGlobals(cmd)
}

func setFlag(fl *pflag.Flag, val any) error {
	switch x := val.(type) {
	case time.Time:
		// YAML reads an unquoted 2026-01-31 as a timestamp.
		return fl.Value.Set(x.Format("2006-01-02"))
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = fmt.Sprint(p)
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			return sv.Replace(parts)
		}
		return fl.Value.Set(strings.Join(parts, ","))
	default:
		return fl.Value.Set(fmt.Sprint(x))
	}
}

// lookup finds a flag's value in the environment, then the config file, from
// the most specific key ("customer.list.limit", CRM_CUSTOMER_LIST_LIMIT) to the
// noun's ("customer.limit") and, for global flags, the bare name ("format", CRM_FORMAT).
func (a *app) lookup(path []string, name string, global bool) (any, string, bool) {
	var keys []string
	for i := len(path); i >= 1; i-- {
		keys = append(keys, strings.Join(path[:i], ".")+"."+name)
	}
	if global {
		keys = append(keys, name)
	}
	for _, k := range keys {
		env := "CRM_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(k))
		if v, ok := os.LookupEnv(env); ok && v != "" {
			return v, "env " + env, true
		}
	}
	if a.v == nil { // no config file
		return nil, "", false
	}
	for _, k := range keys {
		for _, variant := range []string{k, strings.ReplaceAll(k, "-", "_")} {
			if a.v.InConfig(variant) {
				return a.v.Get(variant), "file " + a.cfgFile + " (" + variant + ")", true
			}
		}
	}
	return nil, "", false
}

// setting reads a configuration key (env CRM_KEY first, then the file).
func (a *app) setting(key string) any {
	env := "CRM_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
	if v, ok := os.LookupEnv(env); ok && v != "" {
		return v
	}
	if a.v != nil {
		for _, variant := range []string{key, strings.ReplaceAll(key, "_", "-"), strings.ReplaceAll(key, "-", "_")} {
			if a.v.InConfig(variant) {
				return a.v.Get(variant)
			}
		}
	}
	return nil
}

// negativeNumberFlag matches pflag's error for an argument such as -120.00.
// Compiled on first use, as every package-level value that start-up does not need.
var negativeNumberFlag = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`unknown shorthand flag: '[0-9]' in (-[0-9][0-9.,]*)`)
})

func (a *app) resolveGlobals(cmd *cobra.Command) error {
	g := a.f.Globals
	// An empty value given on purpose (often an unset variable in a script:
	// --db "$DB") is an error, not the default: the default database is the
	// user's real book, and a default as-of is today.
	// The same for the date flags of every command, whose default is also
	// today (or all history).
	for _, name := range []string{"db", "as-of", "lang", "format", "date", "due-date", "from", "to", "since", "window"} {
		if fl := cmd.Flags().Lookup(name); fl != nil && fl.Changed && strings.TrimSpace(fl.Value.String()) == "" {
			return cmdutil.FlagErrorf("--%s: empty value", name)
		}
	}
	lang, _ := cmd.Flags().GetString("lang")
	switch lang {
	case "":
		g.Lang = "en"
		if strings.HasPrefix(os.Getenv("LANG"), "zh") || strings.HasPrefix(os.Getenv("LC_ALL"), "zh") {
			g.Lang = "zh"
		}
		a.sources["lang"] = cmdutil.Source{Key: "lang", Value: g.Lang, From: "default (LANG=" + os.Getenv("LANG") + ")"}
	case "en", "zh":
		g.Lang = lang
	default:
		return cmdutil.FlagErrorf("invalid lang %q: must be en or zh", lang)
	}
	asOf, _ := cmd.Flags().GetString("as-of")
	g.AsOf = a.f.Today()
	if asOf != "" {
		d, err := crm.ParseDate(asOf)
		if err != nil {
			return cmdutil.FlagErrorf("--as-of: %v", err)
		}
		g.AsOf, g.AsOfSet = d, true
	} else {
		a.sources["as-of"] = cmdutil.Source{Key: "as-of", Value: g.AsOf.String(), From: "default (today)"}
	}
	db, _ := cmd.Flags().GetString("db")
	if db == "" {
		db = filepath.Join(dataHome(), "crm", "crm.db")
		a.sources["db"] = cmdutil.Source{Key: "db", Value: db, From: "default"}
	}
	g.DBPath = db
	if g.Format == output.Table && a.out == nil {
		// Tables, record views and letters are for people; CSV and JSON
		// keep the data byte for byte.
		a.out = output.NewEscaper(a.f.IO.Out)
		a.f.IO.Out = a.out
	}
	return nil
}

func (a *app) allSources() []cmdutil.Source {
	out := []cmdutil.Source{{Key: "config", Value: a.cfgFile, From: a.cfgSrc}}
	if a.cfgFile == "" {
		out[0].Value = "(none: " + filepath.Join(configHome(), "crm", "config.yaml") + " does not exist)"
	}
	for _, k := range []string{"db", "format", "lang", "as-of", "csv-safe"} {
		out = append(out, a.sources[k])
	}
	seen := map[string]bool{}
	for _, s := range cmdutil.Settings {
		seen[s.Key] = true
		v := a.setting(s.Key)
		src := cmdutil.Source{Key: s.Key, Value: s.Default, From: "default"}
		if v != nil {
			src.Value = fmt.Sprint(v)
			env := "CRM_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(s.Key))
			if _, ok := os.LookupEnv(env); ok {
				src.From = "env " + env
			} else {
				src.From = "file " + a.cfgFile
			}
		}
		out = append(out, src)
	}
	if a.v != nil {
		keys := a.v.AllKeys()
		sort.Strings(keys)
		for _, k := range keys {
			if seen[k] || k == "format" || k == "lang" || k == "db" || k == "as-of" || k == "as_of" || k == "csv-safe" || k == "csv_safe" {
				continue
			}
			out = append(out, cmdutil.Source{Key: k, Value: fmt.Sprint(a.v.Get(k)), From: "file " + a.cfgFile})
		}
	}
	return out
}

func configHome() string {
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		return x
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".config")
}

func dataHome() string {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return x
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".local", "share")
}
