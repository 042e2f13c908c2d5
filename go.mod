module github.com/dtmfkit/dtmfkit

go 1.24.0

require (
	github.com/go-audio/audio v1.0.0
	github.com/go-audio/wav v1.1.0
	github.com/jfreymuth/vorbis v1.0.2
	github.com/stretchr/testify v1.12.1
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/go-audio/riff v1.0.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
