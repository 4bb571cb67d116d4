// Command ganglion is the single binary of the Ganglion subnet: miner,
// validator, gateway, keys, config and the developer tools.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newApp(osEnv()).root().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "ganglion: %v\n", err)
		os.Exit(1)
	}
}
