package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/betagouv/bin-bot/internal/answers"
)

// env reads one setting; tests pass a map instead of os.Getenv.
type env func(string) string

// command is one sub-command of bot.
type command struct {
	summary string
	run     func(ctx context.Context, c *cli, args []string) error
}

// cli is what every sub-command gets: its settings and where to write.
type cli struct {
	getenv env
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	faq    string // path of faq.yaml
}

var commands = map[string]command{
	"ask":      {"answer one question offline: ask [--json] QUESTION...", runAsk},
	"chat":     {"interactive console: type questions, read answers", runChat},
	"eval":     {"run a labelled question file: eval [--json] [--baseline] FILE", runEval},
	"tune":     {"cross-validate the model on its training files, each left out in turn", runTune},
	"check":    {"validate faq.yaml and announcements.yaml; exit 1 on a problem", runCheck},
	"announce": {"render announcements offline: announce list | preview ID", runAnnounce},
	"serve":    {"run the Slack app (HTTP, or Socket Mode with SLACK_APP_TOKEN)", runServe},
	"stats":    {"the staff's figures from the database: stats [--json] [--period today|7d|30d|all]", runStats},
	"learn":    {"list the alternates staff attached in Slack; --export writes them into faq.yaml; --drafts prints the draft entries from staff answers", runLearn},
}

// errUsage marks a command line that cannot be run; usage has been printed.
var errUsage = errors.New("usage")

// exitError carries an exit code without a message of its own (check, eval).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// isQuietExit is true for errors whose story was already told on stderr.
func isQuietExit(err error) bool {
	var ee exitError
	return errors.As(err, &ee)
}

func exitCode(err error) int {
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	c := &cli{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		usage(stderr)
		return fmt.Errorf("unknown command %q: %w", args[0], errUsage)
	}
	return cmd.run(ctx, c, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: bot COMMAND [--faq PATH] [ARGS]")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-9s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --faq PATH (default data/faq.yaml, env BOT_FAQ).")
}

// flags starts a command's flag set with the shared --faq flag.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	def := c.getenv("BOT_FAQ")
	if def == "" {
		def = "data/faq.yaml"
	}
	fs.StringVar(&c.faq, "faq", def, "path of faq.yaml (env BOT_FAQ)")
	return fs
}

// parse parses a command's flags; a bad command line is a usage error.
func (c *cli) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitError{0}
		}
		return fmt.Errorf("%s: %w", fs.Name(), errUsage)
	}
	return nil
}

// databaseFlag adds --database (env DATABASE_URL) to a command's flags.
func (c *cli) databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database", envOr(c.getenv, "DATABASE_URL", "var/bot.db"),
		"postgres://... or a SQLite file path (env DATABASE_URL)")
}

// matcher loads the FAQ named by --faq.
func (c *cli) matcher(opts ...answers.Option) (*answers.Matcher, error) {
	return answers.Load(c.faq, opts...)
}

// cachedMatcher loads the FAQ with the learned model kept under BOT_CACHE
// (default var/cache), for the commands that start often.
func (c *cli) cachedMatcher(opts ...answers.Option) (*answers.Matcher, error) {
	return c.matcher(append(opts, c.cache())...)
}

// cache keeps learned models under BOT_CACHE, default var/cache.
func (c *cli) cache() answers.Option {
	return answers.WithCache(envOr(c.getenv, "BOT_CACHE", "var/cache"))
}

// question joins the words of a question given on the command line.
func question(args []string) string { return strings.TrimSpace(strings.Join(args, " ")) }
