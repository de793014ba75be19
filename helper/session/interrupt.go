package main

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// interrupt sends SIGINT for a typed ^C when the pty cannot: under gVisor (runsc 2022) its line
// discipline echoes ^C but signals nobody, so a running command could not be stopped. Only when
// the pty does not report its foreground group (on Linux it does, and signals by itself).
func (h *holder) interrupt(p []byte) {
	if bytes.IndexByte(p, 0x03) < 0 {
		return
	}
	shell := h.shell.Process.Pid
	fg, fromPty := foreground(h.master, shell)
	if fromPty || fg <= 0 {
		return
	}
	go deliverInterrupt(shell, fg)
}

// deliverInterrupt signals the foreground group and checks that the signal landed. Read from /proc,
// the newest group can be a child the shell has forked but not yet exec'd: it still runs the
// shell's SIGINT handler, swallows the signal and then execs its command (a loop's `sleep` ticks
// on). Seen exec'ing after the signal, the same process is signalled again. Only that one process,
// a few times at most: a program that handles SIGINT and keeps running (a REPL) is signalled once.
func deliverInterrupt(shell, fg int) {
	before, alive := proc(fg)
	if !alive && fg != shell {
		// It ended between reading /proc and now: whatever is in front now.
		fg = sessionForeground(shell)
		before, _ = proc(fg)
	}
	for try := 0; try < 3; try++ {
		syscall.Kill(-fg, syscall.SIGINT)
		if fg == shell || !execedAfter(fg, before) {
			return
		}
		before, _ = proc(fg)
	}
}

// execedAfter watches a signalled process for a moment: whether it is still alive with another
// command line than before.
func execedAfter(pid int, before string) bool {
	for i := 0; i < 10; i++ {
		time.Sleep(10 * time.Millisecond)
		cmd, alive := proc(pid)
		if !alive {
			return false
		}
		if cmd != before {
			return true
		}
	}
	return false
}

// proc is a process's command line and whether it is alive (exists and is no zombie).
func proc(pid int) (string, bool) {
	if f := procStat(pid); len(f) == 0 || f[0] == "Z" || f[0] == "X" {
		return "", false
	}
	return cmdline(pid), true
}

// procStat is /proc/PID/stat after the command name: state ppid pgrp session …; nil when gone.
// The name may hold spaces and parentheses, so the fields start after the last ')'.
func procStat(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:]))
}
