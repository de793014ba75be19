// Command as-session keeps a terminal's shell alive in a sandbox across dropped exec connections.
// See README.md for the commands; the wire format between attach and serve is in frames.go.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"time"
)

const version = 1

var validID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func main() {
	if len(os.Args) < 2 {
		fail("usage: as-session attach DIR ID SINCE -- ARGV… | start DIR ID -- ARGV… | list DIR | kill DIR ID | serve ID CWD -- ARGV… | version")
	}
	switch os.Args[1] {
	case "version":
		fmt.Println(version)
	case "attach":
		if len(os.Args) < 7 || os.Args[5] != "--" {
			fail("usage: as-session attach DIR ID SINCE -- ARGV…")
		}
		since, err := strconv.ParseInt(os.Args[4], 10, 64)
		if err != nil || since < 0 {
			fail("SINCE must be a byte offset")
		}
		os.Exit(attach(os.Args[2], checkID(os.Args[3]), since, os.Args[6:]))
	case "start":
		if len(os.Args) < 6 || os.Args[4] != "--" {
			fail("usage: as-session start DIR ID -- ARGV…")
		}
		os.Exit(startOnly(os.Args[2], checkID(os.Args[3]), os.Args[5:]))
	case "serve":
		if len(os.Args) < 6 || os.Args[4] != "--" {
			fail("usage: as-session serve ID CWD -- ARGV…")
		}
		os.Exit(serve(checkID(os.Args[2]), os.Args[3], os.Args[5:]))
	case "list":
		if len(os.Args) != 3 {
			fail("usage: as-session list DIR")
		}
		list(os.Args[2])
	case "kill":
		if len(os.Args) != 4 {
			fail("usage: as-session kill DIR ID")
		}
		os.Exit(kill(os.Args[2], checkID(os.Args[3])))
	default:
		fail("unknown command " + strconv.Quote(os.Args[1]))
	}
}

func checkID(id string) string {
	if !validID.MatchString(id) {
		fail("a session id is 1-64 of A-Z a-z 0-9 _ -")
	}
	return id
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "as-session: "+msg)
	os.Exit(2)
}

// enterDir makes DIR (0700) and changes into it, so socket names stay short whatever DIR is.
func enterDir(dir string, create bool) error {
	if create {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	return os.Chdir(dir)
}

// marker is how attach tells the extension what it attached to, inside the terminal stream.
func marker(v map[string]any) {
	v["v"] = version
	b, _ := json.Marshal(v)
	os.Stdout.Write([]byte("\x1b]5379;as-session;" + string(b) + "\x07"))
}

// connectOrStart enters DIR and connects to session ID, starting it (ARGV in the current
// directory) when it does not exist.
func connectOrStart(dir, id string, argv []string) (net.Conn, error) {
	cwd, _ := os.Getwd()
	if err := enterDir(dir, true); err != nil {
		return nil, err
	}
	conn, err := net.Dial("unix", id+".sock")
	if err != nil {
		conn, err = start(id, cwd, argv)
	}
	return conn, err
}

func attach(dir, id string, since int64, argv []string) int {
	conn, err := connectOrStart(dir, id, argv)
	if err != nil {
		marker(map[string]any{"event": "error", "message": err.Error()})
		return 125
	}
	defer conn.Close()
	restore := makeRaw(0)
	defer restore()
	cols, rows := winsize(0)
	hello, _ := json.Marshal(map[string]any{"cols": cols, "rows": rows, "since": since})
	if err := writeFrame(conn, frameHello, hello); err != nil {
		marker(map[string]any{"event": "error", "message": err.Error()})
		return 125
	}
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	go func() {
		for range winch {
			c, r := winsize(0)
			writeFrame(conn, frameResize, resizePayload(c, r))
		}
	}()
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := os.Stdin.Read(buf)
			if n > 0 && writeFrame(conn, frameData, buf[:n]) != nil {
				return
			}
			if err != nil {
				// The exec connection is gone: leave the session running and stop.
				conn.Close()
				return
			}
		}
	}()
	for {
		t, p, err := readFrame(conn)
		if err != nil {
			return 0
		}
		switch t {
		case frameInfo:
			var info map[string]any
			if json.Unmarshal(p, &info) == nil {
				info["event"] = "attached"
				info["now"] = time.Now().UnixMilli()
				marker(info)
			}
		case frameData:
			// Never a zero-length write: under gVisor (runsc 2022) write(2) of 0 bytes to the exec's
			// TTY never returns, and the terminal stayed blank. An empty frame is an empty scrollback,
			// sent when a terminal attaches before its new shell has printed anything.
			if len(p) > 0 {
				os.Stdout.Write(p)
			}
		case frameBumped:
			marker(map[string]any{"event": "bumped"})
			return 0
		case frameExit:
			var x struct{ Code int }
			json.Unmarshal(p, &x)
			restore()
			return x.Code
		}
	}
}

// startOnly starts session ID (when it does not exist) without attaching. Under gVisor (runsc
// 2022) a holder started from an attach inside a TTY exec keeps its shell but its output never
// reaches that attach; started from an exec without a TTY, and then attached to, it works.
func startOnly(dir, id string, argv []string) int {
	conn, err := connectOrStart(dir, id, argv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "as-session: "+err.Error())
		return 125
	}
	conn.Close()
	return 0
}

// start runs `serve` in a new session (so the exec's hangup does not reach it) and connects.
func start(id, cwd string, argv []string) (net.Conn, error) {
	os.Remove(id + ".sock")
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, append([]string{"serve", id, cwd, "--"}, argv...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("unix", id+".sock"); err == nil {
			return c, nil
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("the session holder stopped at once (%v)", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil, errors.New("the session holder did not start within 10 s")
}

func list(dir string) {
	if enterDir(dir, false) != nil {
		return
	}
	socks, _ := filepath.Glob("*.sock")
	for _, s := range socks {
		id := s[:len(s)-len(".sock")]
		if !validID.MatchString(id) {
			continue
		}
		c, err := net.DialTimeout("unix", s, 2*time.Second)
		if err != nil {
			if errors.Is(err, syscall.ECONNREFUSED) {
				os.Remove(s) // its holder is gone
			}
			continue
		}
		c.SetDeadline(time.Now().Add(3 * time.Second))
		if writeFrame(c, frameQuery, nil) == nil {
			if t, p, err := readFrame(c); err == nil && t == frameQueryReply {
				os.Stdout.Write(append(p, '\n'))
			}
		}
		c.Close()
	}
}

func kill(dir, id string) int {
	if enterDir(dir, false) != nil {
		return 1
	}
	c, err := net.DialTimeout("unix", id+".sock", 2*time.Second)
	if err != nil {
		return 1
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	if writeFrame(c, frameKill, nil) != nil {
		return 1
	}
	readFrame(c) // the holder answers once the signal is sent
	return 0
}
