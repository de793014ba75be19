package main

import (
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

func ioctl(fd uintptr, req uintptr, arg unsafe.Pointer) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg)); e != 0 {
		return e
	}
	return nil
}

type winSize struct{ Rows, Cols, X, Y uint16 }

func winsize(fd uintptr) (uint16, uint16) {
	var w winSize
	if ioctl(fd, syscall.TIOCGWINSZ, unsafe.Pointer(&w)) != nil || w.Cols == 0 {
		return 80, 24
	}
	return w.Cols, w.Rows
}

func setWinsize(f *os.File, cols, rows uint16) {
	w := winSize{Rows: rows, Cols: cols}
	ioctl(f.Fd(), syscall.TIOCSWINSZ, unsafe.Pointer(&w))
}

// makeRaw puts the exec's terminal in raw mode (no echo, no line editing, no output processing:
// the inner pty already did all of that) and returns how to undo it.
func makeRaw(fd uintptr) func() {
	var old syscall.Termios
	if ioctl(fd, syscall.TCGETS, unsafe.Pointer(&old)) != nil {
		return func() {}
	}
	raw := old
	raw.Iflag &^= syscall.IGNBRK | syscall.BRKINT | syscall.PARMRK | syscall.ISTRIP | syscall.INLCR | syscall.IGNCR | syscall.ICRNL | syscall.IXON
	raw.Oflag &^= syscall.OPOST
	raw.Lflag &^= syscall.ECHO | syscall.ECHONL | syscall.ICANON | syscall.ISIG | syscall.IEXTEN
	raw.Cflag &^= syscall.CSIZE | syscall.PARENB
	raw.Cflag |= syscall.CS8
	raw.Cc[syscall.VMIN] = 1
	raw.Cc[syscall.VTIME] = 0
	ioctl(fd, syscall.TCSETS, unsafe.Pointer(&raw))
	done := false
	return func() {
		if !done {
			done = true
			ioctl(fd, syscall.TCSETS, unsafe.Pointer(&old))
		}
	}
}

// openPty returns a new pty's master and the path of its slave.
func openPty() (*os.File, string, error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, "", err
	}
	var unlock int32
	if err := ioctl(m.Fd(), syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		m.Close()
		return nil, "", err
	}
	var n uint32
	if err := ioctl(m.Fd(), syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		m.Close()
		return nil, "", err
	}
	return m, "/dev/pts/" + strconv.Itoa(int(n)), nil
}

// foreground is the pty's foreground process group (0 when unknown), and whether the pty itself
// said so. gVisor (runsc 2022) answers TIOCGPGRP on the master with nothing useful: the group is
// then read from /proc as the newest other process group in the shell's session.
func foreground(m *os.File, shell int) (int, bool) {
	var pg int32
	if ioctl(m.Fd(), syscall.TIOCGPGRP, unsafe.Pointer(&pg)) == nil && pg > 0 {
		return int(pg), true
	}
	return sessionForeground(shell), false
}

// sessionForeground is the newest process group other than the shell's in the shell's session,
// else the shell's own group.
func sessionForeground(shell int) int {
	best := shell
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		f := procStat(pid)
		if len(f) < 4 || f[0] == "Z" {
			continue
		}
		pgrp, _ := strconv.Atoi(f[2])
		sid, _ := strconv.Atoi(f[3])
		if sid == shell && pgrp != shell && pid == pgrp && pgrp > best {
			best = pgrp
		}
	}
	return best
}
