// Command dtmfwav generates DTMF key sequences as audio and decodes them
// back, from WAV or raw PCM files or streams.
//
//	dtmfwav gen [flags] KEYS        write KEYS as a WAV or raw audio file
//	dtmfwav decode [flags] [FILE|-] print the keys found in audio (-explain: why)
//	dtmfwav plot [flags] FILE -o OUT.png|OUT.svg
//	                                draw the audio and the receiver's decisions
//	dtmfwav serve [flags]           serve live calls (DTMFKIT_TOKEN is the token)
//	dtmfwav stream -acs|-graph URL FILE
//	                                play a WAV into a server as a live call
//	dtmfwav help [COMMAND]          explain the commands and their flags
//
// Usage errors exit with status 2, other failures with status 1, each with
// a one-line message on standard error. A closed standard output is such a
// failure ("broken pipe"), not a silent death by SIGPIPE.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	// With SIGPIPE ignored, a write to a closed standard output fails with
	// EPIPE and is reported like any other write error.
	signal.Ignore(syscall.SIGPIPE)
	err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	os.Exit(report(err, os.Stderr))
}

// report prints err as one line on stderr and returns the exit status.
func report(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	fmt.Fprintln(stderr, "dtmfwav: "+msg)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// usageError is a mistake in the command line: status 2.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// command is one subcommand of dtmfwav.
type command struct {
	name, args, summary string
	flags               func() *flag.FlagSet // for help: the flags with their defaults
	run                 func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"gen", "[flags] KEYS", "write a key sequence as WAV or raw audio", genFlags, runGen},
		{"decode", "[flags] [FILE|-]", "print the keys found in WAV or raw audio (a file or stdin)", decodeFlags, runDecode},
		{"plot", "[flags] [FILE|-] -o OUT.png|svg", "draw the audio's spectrogram and level with the keys found and the candidates refused, and why", plotFlags, runPlot},
		{"serve", "[flags]", "serve live calls: ACS media streaming and Graph relays in, the services' DTMF APIs out", serveFlags, runServe},
		{"stream", "-acs|-graph [flags] URL FILE", "play a WAV into a server as ACS or a Graph relay would, and print what comes back", streamFlags, runStream},
	}
}

// run is dtmfwav with its arguments and standard streams.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("no command given; try \"dtmfwav help\"")
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return help(rest, stdout)
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(rest, stdin, stdout, stderr)
		}
	}
	return usagef("unknown command %q; try \"dtmfwav help\"", name)
}

func help(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		writeUsage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			writeCommandHelp(stdout, c)
			return nil
		}
	}
	return usagef("no help for unknown command %q", args[0])
}

func writeUsage(w io.Writer) {
	fmt.Fprintln(w, "dtmfwav generates DTMF key sequences as audio and decodes them back.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  dtmfwav %-36s %s\n", c.name+" "+c.args, c.summary)
	}
	fmt.Fprintf(w, "  dtmfwav %-36s %s\n", "help [COMMAND]", "explain a command and its flags")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Keys are 0-9, *, #, A-D. Usage errors exit with status 2, other failures with 1.")
}

func writeCommandHelp(w io.Writer, c command) {
	fmt.Fprintf(w, "Usage: dtmfwav %s %s\n\n%s.\n\nFlags:\n", c.name, c.args, capitalize(c.summary))
	fs := c.flags()
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// parseFlags parses args with fs, allowing flags after positional
// arguments ("gen 123 -o x.wav"), and returns the positional ones. -h
// prints the command's help to stdout and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, c string, args []string, stdout io.Writer) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				for _, cmd := range commands() {
					if cmd.name == c {
						writeCommandHelp(stdout, cmd)
					}
				}
				return nil, err
			}
			return nil, usagef("%s: %v", c, err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
