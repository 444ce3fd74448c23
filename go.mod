module github.com/betagouv/bin-bot

go 1.26.8

require (
	github.com/sahilm/fuzzy v0.1.3
	go.yaml.in/yaml/v3 v3.0.6
)
