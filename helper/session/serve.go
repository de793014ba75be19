package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// scrollback is how much recent output a reattach can replay.
const scrollback = 256 * 1024

type holder struct {
	mu       sync.Mutex
	ring     []byte
	total    int64 // bytes the shell has written since it started
	client   net.Conn
	attached bool // someone attached before: later attaches are reattaches
	started  time.Time
	lastOut  time.Time
	master   *os.File
	shell    *exec.Cmd
}

func serve(id, cwd string, argv []string) int {
	signal.Ignore(syscall.SIGHUP, syscall.SIGPIPE)
	ln, err := net.Listen("unix", id+".sock")
	if err != nil {
		return 1
	}
	defer os.Remove(id + ".sock")
	master, slavePath, err := openPty()
	if err != nil {
		return 1
	}
	slave, err := os.OpenFile(slavePath, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return 1
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = cwd
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		return 1
	}
	slave.Close()
	h := &holder{master: master, shell: cmd, started: time.Now(), lastOut: time.Now()}
	go h.pump()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go h.handle(c)
		}
	}()
	code := 0
	if err := cmd.Wait(); err != nil {
		code = 1
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				code = 128 + int(ws.Signal())
			} else {
				code = ee.ExitCode()
			}
		}
	}
	ln.Close()
	time.Sleep(150 * time.Millisecond) // let the last output reach the client
	h.mu.Lock()
	if h.client != nil {
		p, _ := json.Marshal(map[string]int{"code": code})
		writeFrame(h.client, frameExit, p)
		h.client.Close()
	}
	h.mu.Unlock()
	return 0
}

// pump copies the shell's output into the scrollback and to the attached client, if any.
func (h *holder) pump() {
	buf := make([]byte, 32*1024)
	for {
		n, err := h.master.Read(buf)
		if n > 0 {
			h.mu.Lock()
			h.total += int64(n)
			h.lastOut = time.Now()
			h.ring = append(h.ring, buf[:n]...)
			if len(h.ring) > scrollback {
				h.ring = append([]byte(nil), h.ring[len(h.ring)-scrollback:]...)
			}
			if h.client != nil {
				h.client.SetWriteDeadline(time.Now().Add(10 * time.Second))
				if writeFrame(h.client, frameData, buf[:n]) != nil {
					h.client.Close()
					h.client = nil
				}
			}
			h.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

func (h *holder) handle(c net.Conn) {
	t, p, err := readFrame(c)
	if err != nil {
		c.Close()
		return
	}
	switch t {
	case frameQuery:
		writeFrame(c, frameQueryReply, h.describe())
		c.Close()
	case frameKill:
		// A hangup, as closing a terminal gives: the shell and its foreground job; then no mercy.
		groups := []int{h.shell.Process.Pid}
		if fg, _ := foreground(h.master, h.shell.Process.Pid); fg > 0 && fg != groups[0] {
			groups = append(groups, fg)
		}
		for _, g := range groups {
			syscall.Kill(-g, syscall.SIGHUP)
			syscall.Kill(g, syscall.SIGHUP)
		}
		writeFrame(c, frameExit, []byte(`{"code":0}`))
		c.Close()
		time.AfterFunc(2*time.Second, func() {
			for _, g := range groups {
				syscall.Kill(-g, syscall.SIGKILL)
				syscall.Kill(g, syscall.SIGKILL)
			}
		})
	case frameHello:
		h.attach(c, p)
	default:
		c.Close()
	}
}

func (h *holder) attach(c net.Conn, hello []byte) {
	var hi struct {
		Cols, Rows uint16
		Since      int64
	}
	json.Unmarshal(hello, &hi)
	h.mu.Lock()
	if h.client != nil {
		writeFrame(h.client, frameBumped, nil)
		h.client.Close()
	}
	if hi.Cols > 0 && hi.Rows > 0 {
		setWinsize(h.master, hi.Cols, hi.Rows)
	}
	start := h.total - int64(len(h.ring))
	from := hi.Since
	if from < start {
		from = start
	}
	if from > h.total {
		from = h.total
	}
	info, _ := json.Marshal(map[string]any{"new": !h.attached, "started": h.started.UnixMilli(), "from": from, "lost": from - hi.Since, "pid": h.shell.Process.Pid})
	h.attached = true
	ok := writeFrame(c, frameInfo, info) == nil && writeFrame(c, frameData, h.ring[from-start:]) == nil
	if ok {
		h.client = c
	} else {
		h.client = nil
		c.Close()
	}
	h.mu.Unlock()
	if !ok {
		return
	}
	for {
		t, p, err := readFrame(c)
		if err != nil {
			break
		}
		switch t {
		case frameData:
			h.master.Write(p)
			h.interrupt(p)
		case frameResize:
			if len(p) == 4 {
				setWinsize(h.master, binary.BigEndian.Uint16(p), binary.BigEndian.Uint16(p[2:]))
			}
		}
	}
	h.mu.Lock()
	if h.client == c {
		h.client = nil
	}
	h.mu.Unlock()
	c.Close()
}

func (h *holder) describe() []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	command := ""
	if pg, _ := foreground(h.master, h.shell.Process.Pid); pg > 0 && pg != h.shell.Process.Pid {
		command = cmdline(pg)
	}
	b, _ := json.Marshal(map[string]any{
		"id": strings.TrimSuffix(h.socketName(), ".sock"), "started": h.started.UnixMilli(), "lastOutput": h.lastOut.UnixMilli(),
		"command": command, "attached": h.client != nil, "pid": h.shell.Process.Pid, "bytes": h.total,
	})
	return b
}

func (h *holder) socketName() string {
	return os.Args[2] + ".sock"
}

// cmdline is a process's command line, arguments joined by spaces, at most 200 bytes.
func cmdline(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return ""
	}
	s := string(bytes.TrimRight(bytes.ReplaceAll(b, []byte{0}, []byte{' '}), " "))
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
