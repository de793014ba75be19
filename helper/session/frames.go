package main

import (
	"encoding/binary"
	"errors"
	"io"
)

// Frames between attach and serve over the session's Unix socket: type (1 byte), length (4 bytes,
// big-endian), payload. Both ends are this program, so the format only has to agree with itself.
const (
	frameHello      = 'H' // attach → serve: {"cols","rows","since"}
	frameData       = 'D' // both ways: terminal bytes
	frameResize     = 'R' // attach → serve: cols, rows (uint16 each)
	frameQuery      = 'Q' // list → serve
	frameKill       = 'K' // kill → serve
	frameInfo       = 'I' // serve → attach: {"new","started","from","lost","pid"}
	frameQueryReply = 'q' // serve → list: one JSON line
	frameBumped     = 'B' // serve → attach: another terminal attached
	frameExit       = 'X' // serve → attach: {"code"}
	maxFrame        = 1 << 20
)

func writeFrame(w io.Writer, t byte, p []byte) error {
	h := make([]byte, 5, 5+len(p))
	h[0] = t
	binary.BigEndian.PutUint32(h[1:], uint32(len(p)))
	_, err := w.Write(append(h, p...))
	return err
}

func readFrame(r io.Reader) (byte, []byte, error) {
	var h [5]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(h[1:])
	if n > maxFrame {
		return 0, nil, errors.New("frame too large")
	}
	p := make([]byte, n)
	_, err := io.ReadFull(r, p)
	return h[0], p, err
}

func resizePayload(cols, rows uint16) []byte {
	p := make([]byte, 4)
	binary.BigEndian.PutUint16(p, cols)
	binary.BigEndian.PutUint16(p[2:], rows)
	return p
}
