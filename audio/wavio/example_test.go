package wavio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

// Write a short μ-law WAV file to memory, then read it back.
func Example() {
	pcm := []int16{0, 1000, -1000, 8000, -8000}

	var file bytes.Buffer
	w, err := wavio.NewWriter(&file, wavio.WriterConfig{
		SampleRate: 8000,
		Encoding:   wavio.MuLaw,
		Length:     int64(len(pcm)), // known, so no seeking: any io.Writer will do
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Write(pcm); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(file.Len(), "bytes")

	r, err := wavio.NewReader(&file, wavio.ReaderConfig{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Format())
	dst := make([]int16, 160)
	for {
		n, err := r.Read(dst)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(dst[:n])
	}
	// Output:
	// 64 bytes
	// 8-bit mu-law, 1 channel, 8000 Hz
	// [0 988 -988 7932 -7932]
}

// Read a headerless A-law stream, such as an RTP PCMA payload.
func ExampleNewRawReader() {
	payload := []byte{0xD5, 0xFA, 0x7A, 0xAA}
	r := wavio.NewRawReader(bytes.NewReader(payload), wavio.ALaw)
	dst := make([]int16, 2) // reads need not match the stream's size
	for {
		n, err := r.Read(dst)
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(dst[:n])
	}
	// Output:
	// [8 1008]
	// [-1008 32256]
	// EOF
}

func ExampleParseEncoding() {
	for _, name := range []string{"PCMU", "alaw", "s16le", "gsm"} {
		enc, err := wavio.ParseEncoding(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(enc)
	}
	// Output:
	// ulaw
	// alaw
	// s16le
	// wavio: unknown encoding "gsm" (want s16le, ulaw or alaw)
}
