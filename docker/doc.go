// Package docker holds no code: the directory is the container deployment
// (Dockerfile, compose.yaml, Prometheus and Grafana provisioning) and its
// tests check those files against each other, since CI has no Docker daemon.
// cmd/ganglion's tests check the commands in them against the CLI and the
// dashboard's metric names against the code. Nothing imports it.
package docker
